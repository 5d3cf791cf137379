import Redis, { RedisOptions } from 'ioredis';
import { UnavailableError } from '@app/errors';

export interface SentinelAddress {
  host: string;
  port: number;
}

export interface RedisClientOptions {
  /** With `sentinels`, only its password and database count: the Sentinels say where the primary is. */
  url: string;
  /** Redis Sentinels to ask for the primary of `masterName`; the client follows its failovers. */
  sentinels?: readonly SentinelAddress[];
  masterName?: string;
  /** Deadline of every command: no caller waits on Redis longer than this. */
  commandTimeoutMs: number;
  connectTimeoutMs?: number;
}

/** Redis did not answer, refused, or is not connected. */
export class RedisUnavailableError extends UnavailableError {}

/**
 * An ioredis client that fails fast instead of queueing: with the offline queue on (ioredis's
 * default) a command sent while Redis is down waits for the reconnect, so a request could hang.
 */
export function createRedisClient(options: RedisClientOptions): Redis {
  return new Redis(options.url, {
    ...(options.sentinels && sentinelOptions(options.url, options.sentinels, options.masterName ?? 'ordernum')),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    lazyConnect: true,
    retryStrategy: (attempt) => Math.min(50 * attempt, 1000),
  });
}

/**
 * The Sentinels take the password of the data nodes (one secret to deploy). `failoverDetector`
 * subscribes to their `+switch-master`, so a client leaves a demoted primary at once instead of
 * when its connection happens to fail.
 */
function sentinelOptions(url: string, sentinels: readonly SentinelAddress[], masterName: string): RedisOptions {
  const password = decodeURIComponent(new URL(url).password);
  return {
    sentinels: [...sentinels],
    name: masterName,
    sentinelPassword: password === '' ? undefined : password,
    failoverDetector: true,
    sentinelRetryStrategy: (attempt) => Math.min(50 * attempt, 1000),
  };
}

/** Redis answered, but refused the credentials (NOAUTH: none given; WRONGPASS: wrong ones). Retrying cannot help. */
export class RedisAuthError extends RedisUnavailableError {}

/** The URL with its password masked: it goes into logs and error messages. */
export function redactRedisUrl(url: string): string {
  return url.replace(/^(rediss?:\/\/[^:@/]*:)[^@/]*@/, '$1***@');
}

/**
 * Connects (lazyConnect) or rejects with `RedisUnavailableError` naming `setting` (the variable
 * the URL came from) and the URL without its password. A refused password is a `RedisAuthError`
 * that says so, instead of ioredis's "Connection is closed" after it gave up.
 */
export async function connectRedis(client: Redis, url: string, setting = 'REDIS_URL'): Promise<void> {
  let refusal: string | undefined;
  const onError = (error: Error): void => {
    if (/^(NOAUTH|WRONGPASS)\b/.test(error.message)) refusal = error.message;
  };
  client.on('error', onError);
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    const where = `${setting}=${redactRedisUrl(url)}`;
    const auth = refusal ?? (/^(NOAUTH|WRONGPASS)\b/.test((error as Error).message) ? (error as Error).message : undefined);
    if (auth !== undefined) {
      const hint = auth.startsWith('NOAUTH') ? 'it needs a password: redis://:PASSWORD@host:port' : 'the password is wrong';
      throw new RedisAuthError(`${where}: Redis refused the credentials (${auth.trim()}); ${hint}`, { cause: error });
    }
    throw new RedisUnavailableError(`${where}: Redis is not reachable: ${(error as Error).message}`, { cause: error });
  } finally {
    client.off('error', onError);
  }
}

/** Turns any ioredis failure (timeout, closed connection, refused) into `RedisUnavailableError`. */
export function asRedisUnavailable(error: unknown, what: string): RedisUnavailableError {
  if (error instanceof RedisUnavailableError) return error;
  return new RedisUnavailableError(`Redis ${what} failed: ${(error as Error).message}`, { cause: error });
}
