import { z } from 'zod';
import { STRATEGY_NAMES } from './strategy-name';
import { OrderServiceConfig } from './order-service.env';

/**
 * What the config center (`<ZK_ROOT>/config/order-service`) may change at run time, on every
 * replica at once. Unknown keys are refused, so a typo cannot silently do nothing.
 */
export const runtimeConfigSchema = z
  .object({
    strategy: z.enum(STRATEGY_NAMES, { errorMap: () => ({ message: `must be one of: ${STRATEGY_NAMES.join(', ')}` }) }),
    businessLines: z
      .array(z.number().int().min(0).max(9999))
      .min(1)
      .refine((ids) => new Set(ids).size === ids.length, 'lists a business ID twice'),
    lockTtlMs: z.number().int().min(50).max(600000),
    lockFencing: z.boolean(),
    /** Absent: `LOCK_BATCH_MAX` from the environment. The bench sets 1 for its one-lock-per-order rows. */
    lockBatchMax: z.number().int().min(1).max(1000).optional(),
  })
  .strict();

export type RuntimeConfig = z.infer<typeof runtimeConfigSchema>;

/** The boot defaults from the environment; they seed the node when it does not exist. */
export function runtimeConfigFromEnv(config: OrderServiceConfig): RuntimeConfig {
  return {
    strategy: config.ORDER_STRATEGY,
    businessLines: config.BUSINESS_LINES,
    lockTtlMs: config.LOCK_TTL_MS,
    lockFencing: config.LOCK_FENCING,
  };
}

/** Parses the node's bytes; the error message names each bad field. */
export function parseRuntimeConfig(data: Buffer): { ok: true; config: RuntimeConfig } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(data.toString('utf8'));
  } catch (error) {
    return { ok: false, error: `not JSON: ${(error as Error).message}` };
  }
  const result = runtimeConfigSchema.safeParse(json);
  if (result.success) return { ok: true, config: result.data };
  return { ok: false, error: result.error.issues.map((issue) => describeIssue(issue, json)).join('; ') };
}

/** `strategy: must be one of: ... (got "zookeper")`: the operator sees what was refused. */
function describeIssue(issue: z.ZodIssue, json: unknown): string {
  const field = issue.path.join('.') || '(root)';
  const value = issue.path.reduce<unknown>(
    (node, key) => (node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined),
    json,
  );
  return value === undefined || issue.path.length === 0
    ? `${field}: ${issue.message}`
    : `${field}: ${issue.message} (got ${JSON.stringify(value)})`;
}
