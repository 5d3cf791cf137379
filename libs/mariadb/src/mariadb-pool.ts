import { createPool, Pool } from 'mysql2/promise';
import { UnavailableError } from '@app/errors';

export interface MariadbPoolOptions {
  /** `mysql://user[:password]@host:port/database` */
  url: string;
  /**
   * Connections kept open at most. A `db-lock` waiter holds one for as long as it waits in
   * `GET_LOCK`, so this bounds the waiters one replica can have; the rest queue in the pool.
   */
  connectionLimit: number;
  connectTimeoutMs?: number;
}

/** MariaDB refused, did not answer, or dropped the connection. */
export class MariadbUnavailableError extends UnavailableError {}

/**
 * A mysql2 pool that connects on first use, so a replica running a strategy without the database
 * never opens a connection. Big integers come back as strings: ledger positions (ms × 10,000 +
 * sequence) pass 2^53 and would lose their last digits as JavaScript numbers.
 */
export function createMariadbPool(options: MariadbPoolOptions): Pool {
  return createPool({
    uri: options.url,
    connectionLimit: options.connectionLimit,
    maxIdle: options.connectionLimit,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    enableKeepAlive: true,
    keepAliveInitialDelay: 1000,
    supportBigNumbers: true,
    bigNumberStrings: true,
    // One statement per call: a value can never smuggle in a second one.
    multipleStatements: false,
  });
}

/** Turns any mysql2 failure (refused, closed, timed out) into `MariadbUnavailableError` naming what failed. */
export function asMariadbUnavailable(error: unknown, what: string): MariadbUnavailableError {
  if (error instanceof MariadbUnavailableError) return error;
  return new MariadbUnavailableError(`MariaDB ${what} failed: ${(error as Error).message}`, { cause: error });
}

/** The URL without its password, for logs and /health. */
export function redactedUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
