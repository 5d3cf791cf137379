import { z } from 'zod';

/** Raised at start-up; the message names every invalid variable, so the process can exit with it. */
export class InvalidConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'InvalidConfigError';
  }
}

export const portSchema = z.coerce.number().int().min(1).max(65535);

export const onOffSchema = z.enum(['on', 'off']).transform((value) => value === 'on');

/** `1001,2001` → [1001, 2001]: each a business ID 0..9999, no repeats. */
export const businessLinesSchema = z
  .string()
  .transform((text, ctx) => {
    const ids = text.split(',').map((part) => part.trim()).filter((part) => part !== '');
    const parsed = ids.map(Number);
    if (ids.length === 0 || parsed.some((id) => !Number.isInteger(id) || id < 0 || id > 9999)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'a comma-separated list of integers 0..9999' });
      return z.NEVER;
    }
    if (new Set(parsed).size !== parsed.length) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'lists a business ID twice' });
      return z.NEVER;
    }
    return parsed;
  });

/** Parses `env` with `schema`, or throws one error that names each bad variable and why. */
export function parseConfig<S extends z.ZodTypeAny>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new InvalidConfigError(
    result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`),
  );
}
