import { z } from 'zod';

/** Raised at start-up; the message names every invalid variable, so the process can exit with it. */
export class InvalidConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'InvalidConfigError';
  }
}

/**
 * An integer variable, written in decimal digits (a leading `-` only when `min` is negative).
 * Not `z.coerce.number()`: it reads `0x50` as 80, `1e3` as 1000 and a blank value as 0.
 * Defaults given as numbers pass the same range check.
 */
export function envIntegerSchema(min: number, max: number) {
  const rule = `an integer ${min}..${max} in decimal digits`;
  const digits = min < 0 ? /^-?\d+$/ : /^\d+$/;
  return z
    .union([z.number(), z.string().regex(digits, rule).transform(Number)], { errorMap: () => ({ message: rule }) })
    .pipe(z.number().int(rule).min(min, rule).max(max, rule));
}

export const portSchema = envIntegerSchema(1, 65535);

export const onOffSchema = z.enum(['on', 'off']).transform((value) => value === 'on');

/** `1001,2001` → [1001, 2001]: each a business ID 0..9999 in decimal digits, no repeats. */
export const businessLinesSchema = z
  .string()
  .transform((text, ctx) => {
    const ids = text.split(',').map((part) => part.trim()).filter((part) => part !== '');
    // Digits only: Number() would also take `0x3E9`, `1e3`, `+1001` and `1001.0`.
    if (ids.length === 0 || ids.some((id) => !/^\d{1,4}$/.test(id))) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'a comma-separated list of integers 0..9999 in decimal digits' });
      return z.NEVER;
    }
    const parsed = ids.map(Number);
    if (new Set(parsed).size !== parsed.length) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'lists a business ID twice' });
      return z.NEVER;
    }
    return parsed;
  });

/** One or more segments, none empty, `.` or `..` (ZooKeeper refuses those), no trailing `/`. */
const ZNODE_PATH = /^(\/(?!\.\.?(\/|$))[A-Za-z0-9._-]+)+$/;

export const zkRootSchema = z
  .string()
  .regex(ZNODE_PATH, 'an absolute znode path like /ordernum (no trailing /, no empty, . or .. segments)');

/**
 * Why `connect` is not a ZooKeeper connect string (`host[:port],...[/chroot]`), naming the bad
 * entry; undefined when it is one. IPv6 addresses are refused outright, since the ZooKeeper
 * client splits each entry at its first `:`.
 */
export function connectStringProblem(connect: string): string | undefined {
  const slash = connect.indexOf('/');
  const hosts = slash === -1 ? connect : connect.slice(0, slash);
  const chroot = slash === -1 ? '' : connect.slice(slash);
  for (const entry of hosts.split(',')) {
    if (entry === '') return `has an empty server entry in "${connect}"`;
    if (entry.includes('[')) return `server "${entry}" is an IPv6 address, which is not supported: use a host name`;
    if (entry.split(':').length > 2) return `server "${entry}" has more than one ":" (IPv6 addresses are not supported)`;
    const match = /^([A-Za-z0-9._-]+)(?::(\d+))?$/.exec(entry);
    if (!match) return `server "${entry}" is not host[:port]`;
    if (match[2] !== undefined && (Number(match[2]) < 1 || Number(match[2]) > 65535)) return `server "${entry}" has port ${match[2]}, not 1..65535`;
  }
  if (chroot !== '' && chroot !== '/' && !ZNODE_PATH.test(chroot)) return `chroot "${chroot}" is not an absolute znode path`;
  return undefined;
}

export const zkConnectSchema = z.string().superRefine((text, ctx) => {
  const problem = connectStringProblem(text);
  if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `a ZooKeeper connect string host[:port],...: ${problem}` });
});

/** Parses `env` with `schema`, or throws one error that names each bad variable and why. */
export function parseConfig<S extends z.ZodTypeAny>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new InvalidConfigError(
    result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`),
  );
}
