import { businessLinesSchema } from '@app/config';
import { parseRuntimeConfig, RuntimeConfig, runtimeConfigSchema } from '@app/contracts';
import { BadInputError } from '@app/errors';

/** Some fields of the config center's node, each already valid on its own. */
export type RuntimeConfigPatch = Partial<RuntimeConfig>;

export type RuntimeConfigKey = keyof RuntimeConfig;

/** The keys `set` accepts: exactly the node's fields, read from the schema the replicas use. */
export const RUNTIME_CONFIG_KEYS = Object.keys(runtimeConfigSchema.shape) as RuntimeConfigKey[];

/** A command line the operator has to correct (exit code 2): names the field and what it accepts. */
export class ConfigUsageError extends BadInputError {
  constructor(message: string, field = 'command line') {
    super(400, field, message);
  }
}

const isKey = (key: string): key is RuntimeConfigKey => (RUNTIME_CONFIG_KEYS as string[]).includes(key);

/**
 * `['strategy', 'redis', 'lockTtlMs', '3000']` → `{ strategy: 'redis', lockTtlMs: 3000 }`. Each value
 * is converted from its command-line spelling and checked against the field's own schema.
 */
export function parseSettings(args: readonly string[]): RuntimeConfigPatch {
  if (args.length === 0) throw new ConfigUsageError(`set wants KEY VALUE pairs; keys: ${RUNTIME_CONFIG_KEYS.join(', ')}`);
  if (args.length % 2 !== 0)
    throw new ConfigUsageError(`set wants KEY VALUE pairs, but '${args[args.length - 1]}' has no value`, args[args.length - 1]);
  const patch: Record<string, unknown> = {};
  for (let i = 0; i < args.length; i += 2) {
    const key = args[i];
    if (!isKey(key)) throw new ConfigUsageError(`unknown key '${key}': valid keys are ${RUNTIME_CONFIG_KEYS.join(', ')}`, key);
    if (key in patch) throw new ConfigUsageError(`${key} is given twice`, key);
    patch[key] = parseValue(key, args[i + 1]);
  }
  return patch as RuntimeConfigPatch;
}

/** One value from its command-line spelling, validated by the field's schema. */
export function parseValue(key: RuntimeConfigKey, text: string): RuntimeConfig[RuntimeConfigKey] {
  const checked = runtimeConfigSchema.shape[key].safeParse(fromText(key, text.trim()));
  if (!checked.success)
    throw new ConfigUsageError(`${key}: ${checked.error.issues.map((issue) => issue.message).join('; ')} (got '${text}')`, key);
  return checked.data;
}

function fromText(key: RuntimeConfigKey, text: string): unknown {
  switch (key) {
    case 'strategy':
      return text;
    case 'lockFencing':
      if (text === 'on' || text === 'off') return text === 'on';
      throw new ConfigUsageError(`lockFencing: must be on or off (got '${text}')`, key);
    case 'lockTtlMs':
      if (/^\d+$/.test(text)) return Number(text);
      throw new ConfigUsageError(`lockTtlMs: must be an integer number of milliseconds (got '${text}')`, key);
    case 'lockBatchMax':
      if (/^\d+$/.test(text)) return Number(text);
      throw new ConfigUsageError(`lockBatchMax: must be an integer number of requests (got '${text}')`, key);
    case 'businessLines': {
      // The same spelling and rules as the BUSINESS_LINES variable that seeds the node.
      const lines = businessLinesSchema.safeParse(text);
      if (lines.success) return lines.data;
      throw new ConfigUsageError(`businessLines: ${lines.error.issues.map((issue) => issue.message).join('; ')} (got '${text}')`, key);
    }
  }
}

export type MergeResult = { ok: true; config: RuntimeConfig } | { ok: false; error: string };

/**
 * The node's current bytes with `patch` on top, validated exactly as the replicas will validate
 * it. A current value that is not a JSON object contributes nothing, so a patch that names every
 * field repairs a refused node.
 */
export function mergePatch(current: Buffer | null, patch: RuntimeConfigPatch): MergeResult {
  const merged = { ...jsonObject(current), ...patch };
  const parsed = parseRuntimeConfig(Buffer.from(JSON.stringify(merged)));
  return parsed.ok ? parsed : { ok: false, error: parsed.error };
}

function jsonObject(data: Buffer | null): Record<string, unknown> {
  if (data === null) return {};
  try {
    const value: unknown = JSON.parse(data.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {}; // not JSON: nothing of it can be kept; the caller's validation names what is missing
  }
}
