import { createHash } from 'node:crypto';
import { PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { asMariadbUnavailable, MariadbDatabase } from '@app/mariadb';
import { LogSink } from '@app/zookeeper';
import { LockBackendError, LockLostError, LockTimeoutError } from './errors';
import { AcquireOptions, DistributedLock, Lease, LockStats } from './lock';

/** How long past its own GET_LOCK timeout a waiter trusts the server before dropping the connection. */
const SERVER_GRACE_MS = 1000;
/** MariaDB refuses GET_LOCK names longer than this. */
const MAX_LOCK_NAME = 64;

/**
 * The seed's database lock: MariaDB's `GET_LOCK(name, timeout)`, held by one pooled connection
 * for as long as the lease lives and freed by `RELEASE_LOCK` or by that connection ending (a
 * killed holder's socket closes and the server lets go). No TTL: a holder that is paused but
 * connected keeps the lock until it resumes or its connection is killed (README, "The database
 * lock's deadlock"); `ttlMs` is ignored on purpose. A waiter's timeout is the server's own
 * `GET_LOCK` timeout, so nothing is left queued behind a waiter that gave up; should the server
 * not answer even then, the waiter drops its connection.
 *
 * The fencing token is a separate autocommit `LAST_INSERT_ID(token + 1)` bump taken after the
 * lock: GET_LOCK is not transactional and the bump is committed on its own before the holder
 * uses it, so a killed holder can never roll back a token its successor would then reuse.
 */
export class DbLock implements DistributedLock {
  readonly kind = 'db';
  readonly backend = 'MariaDB';
  readonly fencing = true;
  readonly stats = new LockStats();
  /** Per resource, a token the fence has seen: the next one is taken above it (`tokensBelowFence`). */
  private readonly fenceTokens = new Map<string, number>();

  constructor(
    private readonly database: MariadbDatabase,
    /** Namespaces the lock names and token rows, e.g. `ordernum:`. */
    private readonly namePrefix: string,
    private readonly logger?: LogSink,
  ) {}

  async acquire(resource: string, { waitMs }: AcquireOptions): Promise<Lease> {
    const deadline = Date.now() + waitMs;
    const name = lockName(`${this.namePrefix}${resource}`);
    const connection = await this.connection(resource, deadline, waitMs);
    let got: unknown;
    try {
      const seconds = Math.max(0, deadline - Date.now()) / 1000;
      const [rows] = await connection.query<RowDataPacket[]>({
        sql: 'SELECT GET_LOCK(?, ?) AS got',
        values: [name, seconds],
        timeout: Math.ceil(seconds * 1000) + SERVER_GRACE_MS,
      });
      got = rows[0]?.got;
    } catch (error) {
      // No answer in time, or the connection broke: dropping it is the only way to be sure the
      // server does not grant this waiter the lock later and keep it on a connection nobody uses.
      connection.destroy();
      throw new LockBackendError(resource, this.kind, { cause: asMariadbUnavailable(error, `GET_LOCK ${name}`) });
    }
    if (got !== 1) {
      connection.release();
      // 0: the server's timeout passed; NULL: the wait was killed (KILL QUERY). Either way, not ours.
      throw new LockTimeoutError(resource, waitMs, this.kind);
    }
    let token: number;
    const lowest = (this.fenceTokens.get(resource) ?? 0) + 1;
    try {
      const [result] = await connection.query<ResultSetHeader>(
        'INSERT INTO lock_tokens (resource, token) VALUES (?, LAST_INSERT_ID(?)) ON DUPLICATE KEY UPDATE token = LAST_INSERT_ID(GREATEST(token + 1, ?))',
        [name, lowest, lowest],
      );
      token = Number(result.insertId);
    } catch (error) {
      connection.destroy(); // ending the session frees the lock we could not fence
      throw new LockBackendError(resource, this.kind, { cause: this.database.failure(error, `token of ${name}`) });
    }
    this.stats.acquisitions += 1;
    return this.lease(resource, name, token, connection);
  }

  /** The token row was lost (deleted, its table dropped) while the fence in Redis kept what it saw. */
  tokensBelowFence(resource: string, fenceToken: number): void {
    if (fenceToken > (this.fenceTokens.get(resource) ?? 0)) this.fenceTokens.set(resource, fenceToken);
  }

  /** A pooled connection within the deadline; one that arrives after it goes straight back. */
  private async connection(resource: string, deadline: number, waitMs: number): Promise<PoolConnection> {
    let pool;
    try {
      pool = await this.database.ready();
    } catch (error) {
      throw new LockBackendError(resource, this.kind, { cause: asMariadbUnavailable(error, 'schema') });
    }
    const pending = pool.getConnection();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()))));
    try {
      const first = await Promise.race([pending, timeout]);
      if (first !== 'timeout') return first;
    } catch (error) {
      throw new LockBackendError(resource, this.kind, { cause: asMariadbUnavailable(error, 'connect') });
    } finally {
      clearTimeout(timer);
    }
    pending.then(
      (late) => late.release(),
      () => undefined, // it never arrived: nothing to give back
    );
    throw new LockTimeoutError(resource, waitMs, this.kind);
  }

  private lease(resource: string, name: string, token: number, connection: PoolConnection): Lease {
    const controller = new AbortController();
    // The lock lives exactly as long as this connection: its end is the lease's end.
    const onGone = (error?: Error) => {
      if (!controller.signal.aborted) {
        controller.abort(new LockLostError(resource, this.kind, `connection to MariaDB lost${error ? `: ${error.message}` : ''}`));
      }
    };
    const onEnd = () => onGone();
    const raw = connection.connection;
    raw.once('error', onGone);
    raw.once('end', onEnd);
    let released = false;
    return {
      resource,
      token,
      lost: controller.signal,
      release: async () => {
        if (released) return;
        released = true;
        raw.off('error', onGone);
        raw.off('end', onEnd);
        try {
          await connection.query('DO RELEASE_LOCK(?)', [name]);
          connection.release();
        } catch (error) {
          connection.destroy(); // the server frees a lock whose connection ends
          this.logger?.warn(`could not release ${name}; dropped its connection instead: ${(error as Error).message}`);
        }
      },
    };
  }
}

/** The name GET_LOCK takes: the resource itself, or its digest when it is too long. */
function lockName(full: string): string {
  return full.length <= MAX_LOCK_NAME ? full : createHash('sha256').update(full).digest('hex').slice(0, MAX_LOCK_NAME);
}
