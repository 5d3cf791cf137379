import { Pool } from 'mysql2/promise';
import { asMariadbUnavailable, createMariadbPool, MariadbPoolOptions, MariadbUnavailableError, redactedUrl } from './mariadb-pool';
import { ensureSchema } from './schema';

/** MariaDB's ER_NO_SUCH_TABLE. */
const NO_SUCH_TABLE = 1146;

/**
 * A replica's one MariaDB: the pool, and the schema created on first use. Nothing connects until
 * a database strategy (or /health while one is in force) asks for `ready()`, so replicas running
 * the other strategies need no database at all. A table found missing later (an operator dropped
 * it, or the server came back without its data) is created again, as at start-up.
 */
export class MariadbDatabase {
  readonly pool: Pool;
  private schema?: Promise<Pool>;

  constructor(private readonly options: MariadbPoolOptions) {
    this.pool = createMariadbPool(options);
  }

  /** For logs and /health: the URL without a password. */
  get location(): string {
    return redactedUrl(this.options.url);
  }

  /** The pool, once the tables exist. A failure is not remembered: the next call tries again. */
  ready(): Promise<Pool> {
    if (!this.schema) {
      const creating = ensureSchema(this.pool).then(() => this.pool);
      creating.catch(() => (this.schema = undefined));
      this.schema = creating;
    }
    return this.schema;
  }

  /**
   * A failed statement as `MariadbUnavailableError` naming what failed. When it failed because a
   * table no longer exists, the next `ready()` creates the tables again: the request that found
   * them gone answers 503, the next one finds them back.
   */
  failure(error: unknown, what: string): MariadbUnavailableError {
    if ((error as { errno?: unknown } | undefined)?.errno === NO_SUCH_TABLE) this.schema = undefined;
    return asMariadbUnavailable(error, what);
  }

  /** One round trip on a pooled connection, bounded by `timeoutMs`. */
  async ping(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.pool.query({ sql: 'SELECT 1', timeout: timeoutMs }), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
