import { createConnection } from 'mysql2/promise';
import { LockedSettings, LockedStrategy } from '@app/order-numbers';
import { MariadbDatabase } from '@app/mariadb';
import { requireEnv, uniqueName, useBackends } from '../support/backends';
import { strategyInProcess } from './support/strategies';

// db-lock's fencing tokens live in MariaDB (`lock_tokens`), the fence that checks them in Redis:
// either can be lost without the other. When an operator deletes the token rows (or drops the
// table, or restores the database without them), the counter restarts at 1 below a fence that
// has seen far more. Each refusal used to cost one more acquisition, one token up, so after a long
// history a business line answered nothing until the deadline; the lock now continues above the
// token the fence reports.

const backends = useBackends();
const LINE = 1001;
const databases: MariadbDatabase[] = [];
afterAll(() => Promise.all(databases.map((database) => database.close())));

async function dbLockStrategy(lockBatchMax: number): Promise<{ sut: LockedStrategy; prefix: string }> {
  const prefix = `${uniqueName('db-lock-tokens')}:`;
  const database = new MariadbDatabase({ url: requireEnv('TEST_DATABASE_URL'), connectionLimit: 8 });
  databases.push(database);
  const settings: LockedSettings = { fencing: true, lockTtlMs: 2000, lockWaitMs: 5000, lockBatchMax, maxClockSkewMs: 1000 };
  const sut = (await strategyInProcess('db-lock', backends, { prefix, database, settings, owner: 'tokens' })) as LockedStrategy;
  return { sut, prefix };
}

const context = () => ({ signal: AbortSignal.timeout(5000), epoch: 1 });

describe('db-lock after its token rows are lost', () => {
  it.each([1, 64])('issues above the fence at once (LOCK_BATCH_MAX %i), not one refusal per token below it', async (lockBatchMax) => {
    const { sut, prefix } = await dbLockStrategy(lockBatchMax);
    const admin = await createConnection(requireEnv('TEST_DATABASE_URL'));
    try {
      await sut.next(LINE, context());
      // A long history: the counter far ahead, as after months of orders; the fence sees it next.
      await admin.query('UPDATE lock_tokens SET token = 1000000 WHERE resource = ?', [`${prefix}business-${LINE}`]);
      const before = await sut.next(LINE, context());
      expect(before.fencingToken).toBe(1000001);
      await admin.query('DELETE FROM lock_tokens WHERE resource = ?', [`${prefix}business-${LINE}`]);

      const after = await Promise.all(Array.from({ length: 5 }, () => sut.next(LINE, context())));
      for (const issued of after) {
        expect(issued.fencingToken).toBeGreaterThan(1000001);
        expect(issued.retries).toBeLessThanOrEqual(1);
      }
    } finally {
      await admin.end();
    }
  });
});
