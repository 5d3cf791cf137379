import { Pool } from 'mysql2/promise';
import { asMariadbUnavailable } from './mariadb-pool';

/**
 * Every table the service uses, in one place. `CREATE TABLE IF NOT EXISTS` makes start-up
 * idempotent: replicas starting together, or restarting, create them once and never drop data.
 */
export const TABLES = {
  /**
   * `db-lock`'s fencing tokens, one row per resource. Bumped in its own autocommit statement right
   * after `GET_LOCK` succeeds, so a token is durable before the holder uses it: a holder killed
   * mid-section cannot roll it back and hand its successor the same token.
   */
  lockTokens: `CREATE TABLE IF NOT EXISTS lock_tokens (
    resource VARCHAR(191) NOT NULL PRIMARY KEY,
    token BIGINT UNSIGNED NOT NULL
  ) ENGINE=InnoDB`,
  /**
   * `db-segment`'s ledger (Leaf's `leaf_alloc`): per business line the end of the highest segment
   * ever allocated, as a position ms × 10,000 + sequence. A segment is taken by moving it up in one
   * statement; numbers below it belong to some replica's segment, issued or lost, never reissued.
   */
  segmentLedger: `CREATE TABLE IF NOT EXISTS segment_ledger (
    business_id SMALLINT UNSIGNED NOT NULL PRIMARY KEY,
    max_position BIGINT UNSIGNED NOT NULL,
    updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
  ) ENGINE=InnoDB`,
} as const;

/** Creates the tables that do not exist yet; safe to run from every replica at every start. */
export async function ensureSchema(pool: Pool): Promise<void> {
  for (const [name, ddl] of Object.entries(TABLES)) {
    try {
      await pool.query(ddl);
    } catch (error) {
      throw asMariadbUnavailable(error, `creating table ${name}`);
    }
  }
}
