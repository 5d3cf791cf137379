import { z } from 'zod';
import { BadInputError } from '@app/errors';
import { InvalidConnectStringError, parseConnectString, parseZookeeperAuth, ServerAddress, ZNODE_PATH } from '@app/zookeeper';

/** sysexits.h's EX_CONFIG: both apps exit with it when their configuration is refused (a crash is 1). */
export const EXIT_INVALID_CONFIG = 78;

/** Raised at start-up; the message names every invalid variable, so the process can exit with it. */
export class InvalidConfigError extends BadInputError {
  constructor(readonly problems: string[]) {
    // The field is the first variable named; the message names them all.
    super(400, problems[0]?.split(':')[0] ?? 'environment', `invalid configuration:\n  ${problems.join('\n  ')}`);
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

export const zkRootSchema = z
  .string()
  .regex(ZNODE_PATH, 'an absolute znode path like /ordernum (no trailing /, no empty, . or .. segments)');

/** A ZooKeeper connect string, checked by the one parser the client side uses too. */
export const zkConnectSchema = z.string().superRefine((text, ctx) => {
  try {
    parseConnectString(text);
  } catch (error) {
    if (!(error instanceof InvalidConnectStringError)) throw error;
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `a ZooKeeper connect string host[:port],...: ${error.message}` });
  }
});

/** `REDIS_SENTINELS=host:port,host:port` → [{host, port}, ...]: at least one, no repeats. */
export const redisSentinelsSchema = z.string().transform((text, ctx): ServerAddress[] => {
  const parts = text.split(',').map((part) => part.trim());
  const rule = 'a comma-separated list of host:port (Redis Sentinels)';
  const sentinels = parts.map((part) => /^([A-Za-z0-9.-]+):(\d{1,5})$/.exec(part));
  if (sentinels.some((match) => match === null || Number(match[2]) < 1 || Number(match[2]) > 65535)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: rule });
    return z.NEVER;
  }
  if (new Set(parts).size !== parts.length) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'lists a Sentinel twice' });
    return z.NEVER;
  }
  return sentinels.map((match) => ({ host: match![1], port: Number(match![2]) }));
});

/** The name Sentinels monitor a primary under (`sentinel monitor <name> ...`). */
export const redisMasterNameSchema = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - (1..64)');

/** `ZK_AUTH=user:password`: ZooKeeper digest credentials; unset, the tree is open (the local cluster's default). */
export const zkAuthSchema = z.string().transform((text, ctx) => {
  try {
    return parseZookeeperAuth(text);
  } catch (error) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message.replace(/^ZK_AUTH /, '') });
    return z.NEVER;
  }
});

/**
 * `ADMIN_TOKEN`: the bearer token of operator writes. At least 16 printable characters (a token
 * short enough to guess is no protection), none of them a space (it travels in a header).
 */
export const adminTokenSchema = z.string().regex(/^[\x21-\x7e]{16,256}$/, '16..256 printable ASCII characters, no spaces');

/** The one list of `LOG_LEVEL` values of both apps, least verbose first (Nest's level names). */
export const LOG_LEVELS = ['error', 'warn', 'log', 'debug'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export const logLevelSchema = z.enum(LOG_LEVELS, { errorMap: () => ({ message: `must be one of: ${LOG_LEVELS.join(', ')}` }) });

/** The levels a logger set to `level` prints: `warn` → fatal, error, warn. Fatal is never muted. */
export function enabledLogLevels(level: LogLevelName): Array<'fatal' | LogLevelName> {
  return ['fatal', ...LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1)];
}

/**
 * Runs an app's config loader; on `InvalidConfigError` prints what is wrong, prefixed with the
 * app's name, and exits with `EXIT_INVALID_CONFIG`. Any other error is thrown on.
 */
export function loadConfigOrExit<T>(app: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    console.error(`${app}: ${error.message}`);
    return process.exit(EXIT_INVALID_CONFIG);
  }
}

/** Parses `env` with `schema`, or throws one error that names each bad variable and why. */
export function parseConfig<S extends z.ZodTypeAny>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new InvalidConfigError(
    result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`),
  );
}
