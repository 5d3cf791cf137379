import { createConnection, RowDataPacket } from 'mysql2/promise';
import { DbLock, LockBackendError, LockLostError } from '@app/locks';
import { MariadbDatabase } from '@app/mariadb';
import { eventually, requireEnv, uniqueName } from '../support/backends';
import { usePrivateServices } from '../support/services';
import { describeLockContract } from './lock-contract';

const services = usePrivateServices();
const databases: MariadbDatabase[] = [];
// A stopped server's pool has nothing left to close.
afterAll(() => Promise.all(databases.map((database) => database.close().catch(() => undefined))));

/** A replica's own pool: two of them stand for two processes. */
function database(): MariadbDatabase {
  const db = new MariadbDatabase({ url: requireEnv('TEST_DATABASE_URL'), connectionLimit: 64 });
  databases.push(db);
  return db;
}

describeLockContract('db (MariaDB GET_LOCK, token bumped on its own)', async () => {
  const prefix = `${uniqueName('locks')}:`;
  return { first: new DbLock(database(), prefix), second: new DbLock(database(), prefix) };
});

describe('db lock faults', () => {
  it("frees the lock when the holder's connection is killed: the holder's lease is lost and the next token is higher", async () => {
    const prefix = `${uniqueName('killed')}:`;
    const holder = new DbLock(database(), prefix);
    const next = new DbLock(database(), prefix);
    const held = await holder.acquire('business-1', { waitMs: 1000, ttlMs: 1000 });
    const waiting = next.acquire('business-1', { waitMs: 10000, ttlMs: 1000 });
    const admin = await createConnection(requireEnv('TEST_DATABASE_URL'));
    try {
      const [rows] = await admin.query<RowDataPacket[]>('SELECT IS_USED_LOCK(?) AS holder', [`${prefix}business-1`]);
      const connectionId = rows[0].holder as number;
      expect(connectionId).toEqual(expect.any(Number));
      // What a crashed holder's host does to its socket; the server ends the session and frees its locks.
      await admin.query(`KILL CONNECTION ${Number(connectionId)}`);
    } finally {
      await admin.end();
    }
    const successor = await waiting;
    await eventually('the killed holder learns it lost the lock', () => held.lost.aborted, 5000);
    expect(held.lost.reason).toBeInstanceOf(LockLostError);
    expect(successor.token).toBeGreaterThan(held.token as number);
    await successor.release();
    await held.release(); // the old holder's release cannot free anything any more
  });

  it('creates its token table again when an operator drops it: one acquire fails with the reason, the next succeeds', async () => {
    const server = await services.mariadb();
    const lockDb = new MariadbDatabase({ url: server.url, connectionLimit: 4 });
    databases.push(lockDb);
    const lock = new DbLock(lockDb, `${uniqueName('dropped')}:`);
    await (await lock.acquire('r', { waitMs: 1000, ttlMs: 1000 })).release();
    const admin = await createConnection(server.url);
    try {
      await admin.query('DROP TABLE lock_tokens');
    } finally {
      await admin.end();
    }
    const failed = await lock.acquire('r', { waitMs: 1000, ttlMs: 1000 }).catch((error: Error) => error);
    expect(failed).toBeInstanceOf(LockBackendError);
    expect(String((failed as Error).cause)).toContain("lock_tokens' doesn't exist");
    const lease = await lock.acquire('r', { waitMs: 1000, ttlMs: 1000 });
    expect(lease.token).toEqual(expect.any(Number));
    await lease.release();
  });

  it("a waiter that gave up leaves no lock behind in the server for later", async () => {
    const prefix = `${uniqueName('gave-up')}:`;
    const [a, b] = [new DbLock(database(), prefix), new DbLock(database(), prefix)];
    const held = await a.acquire('r', { waitMs: 1000, ttlMs: 1000 });
    await expect(b.acquire('r', { waitMs: 200, ttlMs: 1000 })).rejects.toThrow('not acquired within 200 ms');
    await held.release();
    const admin = await createConnection(requireEnv('TEST_DATABASE_URL'));
    try {
      const [rows] = await admin.query<RowDataPacket[]>('SELECT IS_FREE_LOCK(?) AS free', [`${prefix}r`]);
      expect(rows[0].free).toBe(1);
    } finally {
      await admin.end();
    }
  });
});
