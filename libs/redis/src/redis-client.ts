import Redis from 'ioredis';
import { UnavailableError } from '@app/errors';

export interface RedisClientOptions {
  url: string;
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
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    lazyConnect: true,
    retryStrategy: (attempt) => Math.min(50 * attempt, 1000),
  });
}

/** Connects (lazyConnect) or rejects with `RedisUnavailableError` naming the URL. */
export async function connectRedis(client: Redis, url: string): Promise<void> {
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    throw new RedisUnavailableError(`Redis at ${url} is not reachable: ${(error as Error).message}`, { cause: error });
  }
}

/** Turns any ioredis failure (timeout, closed connection, refused) into `RedisUnavailableError`. */
export function asRedisUnavailable(error: unknown, what: string): RedisUnavailableError {
  if (error instanceof RedisUnavailableError) return error;
  return new RedisUnavailableError(`Redis ${what} failed: ${(error as Error).message}`, { cause: error });
}
