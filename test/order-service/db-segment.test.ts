import { createConnection, RowDataPacket } from 'mysql2/promise';
import { MariadbDatabase } from '@app/mariadb';
import { countDuplicates, DbSegmentStrategy, parseOrderNumber, positionOf, SegmentLedger, SequenceLedger, StrategyUnavailableError } from '@app/order-numbers';
import { requireEnv, uniqueName, useBackends } from '../support/backends';
import { call, postOrder } from '../support/http';
import { usePrivateServices } from '../support/services';
import { isolatedEnv, useReplicas } from './support/replicas';

// db-segment on the real MariaDB: two "replicas" (pools and strategies of their own) share a
// business line; segments never overlap, the step grows under load, a restart leaves gaps, and a
// database outage is served from the buffers and then answered 503 with the reason.

const replicas = useReplicas();
const services = usePrivateServices();
const backends = useBackends();
/** The Redis side every db-segment raises its segment bound in (DESIGN §2), on a prefix of its own. */
let redisLedger: SequenceLedger;
beforeAll(async () => {
  redisLedger = new SequenceLedger(await backends.redis(), `${uniqueName('db-segment')}:`);
});
const databases: MariadbDatabase[] = [];
// A stopped server's pool has nothing left to close.
afterAll(() => Promise.all(databases.map((database) => database.close().catch(() => undefined))));

function strategyOn(url: string): DbSegmentStrategy {
  const database = new MariadbDatabase({ url, connectionLimit: 8 });
  databases.push(database);
  return new DbSegmentStrategy(new SegmentLedger(database, () => 5000), redisLedger, { now: () => Date.now() });
}

/** One epoch throughout: these tests are about segments, the switch tests about epochs. */
const context = () => ({ signal: AbortSignal.timeout(10_000), epoch: 1 });

/** A business line of its own per test: the shared database's ledger rows outlive the test. */
let nextLine = 5000 + (process.pid % 4000);

describe('db-segment on MariaDB', () => {
  it('gives two replicas disjoint segments of one business line, with growing steps and numbers stamped near now', async () => {
    const line = nextLine++;
    const [a, b] = [strategyOn(requireEnv('TEST_DATABASE_URL')), strategyOn(requireEnv('TEST_DATABASE_URL'))];
    const before = Date.now();
    const issued = await Promise.all(Array.from({ length: 6000 }, (_, i) => (i % 2 === 0 ? a : b).next(line, context())));
    const after = Date.now();
    const numbers = issued.map((answer) => answer.orderNumber);
    expect(countDuplicates(numbers).duplicates).toBe(0);
    for (const number of numbers) {
      expect(number.slice(17, 21)).toBe(String(line));
      // The allocation's millisecond, or one just after it when segments of one millisecond follow each other.
      expect(parseOrderNumber(number).timestampMs).toBeGreaterThanOrEqual(before);
      expect(parseOrderNumber(number).timestampMs).toBeLessThanOrEqual(after + 100);
    }
    const [statsA] = a.stats();
    expect(statsA.step).toBeGreaterThan(100);
    expect(statsA.allocations).toBeGreaterThan(1);
  });

  it('starts a restarted replica above every segment taken before: the lost buffer is a gap, never reissued', async () => {
    const line = nextLine++;
    const first = strategyOn(requireEnv('TEST_DATABASE_URL'));
    const before = await Promise.all(Array.from({ length: 50 }, () => first.next(line, context())));
    const end = await first.highestAllocatedEnd();
    const restarted = strategyOn(requireEnv('TEST_DATABASE_URL'));
    const after = await restarted.next(line, context());
    expect(end).not.toBeNull();
    expect(after.orderNumber > before.map((answer) => answer.orderNumber).sort().pop()!).toBe(true);
    const { timestampMs, suffix } = parseOrderNumber(after.orderNumber);
    expect(positionOf(timestampMs, suffix)).toBeGreaterThan(0n);
  });

  it('never starts a segment at or below the floor a switch from another family sets', async () => {
    const line = nextLine++;
    const sut = strategyOn(requireEnv('TEST_DATABASE_URL'));
    await sut.next(line, context());
    const floorMs = Date.now() + 60_000; // another family's mark a minute ahead (a skewed clock)
    sut.startAbove(positionOf(floorMs, 9999));
    const { timestampMs } = parseOrderNumber((await sut.next(line, context())).orderNumber);
    expect(timestampMs).toBeGreaterThan(floorMs);
  });

  it('creates its tables idempotently: a second replica starting on the same database finds them', async () => {
    const database = new MariadbDatabase({ url: requireEnv('TEST_DATABASE_URL'), connectionLimit: 2 });
    databases.push(database);
    const pool = await database.ready();
    const again = new MariadbDatabase({ url: requireEnv('TEST_DATABASE_URL'), connectionLimit: 2 });
    databases.push(again);
    await again.ready();
    const [rows] = await pool.query<RowDataPacket[]>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN ('lock_tokens', 'segment_ledger') ORDER BY 1",
    );
    expect(rows.map((row) => row.name)).toEqual(['lock_tokens', 'segment_ledger']);
  });

  it('takes a business line up again above every segment used when an operator drops the ledger, even at the same millisecond', async () => {
    const server = await services.mariadb();
    const line = nextLine++;
    // Both replicas' clocks stopped at one millisecond: the clock alone cannot keep them apart.
    const at = Date.now();
    const onClock = () => {
      const database = new MariadbDatabase({ url: server.url, connectionLimit: 4 });
      databases.push(database);
      return new DbSegmentStrategy(new SegmentLedger(database, () => 5000), redisLedger, { now: () => at });
    };
    const [before, after] = [onClock(), onClock()];
    const issued = await Promise.all(Array.from({ length: 50 }, async () => (await before.next(line, context())).orderNumber));
    await after.next(nextLine++, context()); // its tables checked at start-up, as a running replica's are
    const admin = await createConnection(server.url);
    try {
      await admin.query('DROP TABLE segment_ledger');
    } finally {
      await admin.end();
    }
    // The request that finds the table gone answers 503 with the reason; the next ones find it back.
    await expect(after.next(line, context())).rejects.toThrow(/none could be allocated: MariaDB .*segment_ledger' doesn't exist/);
    for (let i = 0; i < 150; i += 1) issued.push((await after.next(line, context())).orderNumber);
    expect(countDuplicates(issued).examples).toEqual([]);
  });

  it('serves a database outage from its buffers, then fails with the reason', async () => {
    const server = await services.mariadb();
    const line = nextLine++;
    const sut = strategyOn(server.url);
    // 10% of the first segment (100) used: the second (200) is fetched in the background.
    const served = await Promise.all(Array.from({ length: 10 }, async () => (await sut.next(line, context())).orderNumber));
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the prefetch land: two buffers
    await server.kill();
    let failure: unknown;
    while (failure === undefined) {
      try {
        served.push((await sut.next(line, context())).orderNumber);
      } catch (error) {
        failure = error;
      }
    }
    // The first segment (100) and the prefetched second (200): all served while the database was down.
    expect(served.length).toBe(300);
    expect(countDuplicates(served).duplicates).toBe(0);
    expect(failure).toBeInstanceOf(StrategyUnavailableError);
    expect((failure as Error).message).toMatch(/db-segment: no segment left for business line \d+ and none could be allocated: MariaDB/);
  });

  it('answers 503 with the reason over HTTP once the buffers are used up, and /health names the database', async () => {
    const server = await services.mariadb();
    const replica = await replicas.start({ ...isolatedEnv('db-segment-outage'), ORDER_STRATEGY: 'db-segment', DATABASE_URL: server.url });
    for (let i = 0; i < 10; i += 1) expect((await postOrder(replica.url, 1001)).status).toBe(201);
    expect((await call(replica.url, 'GET', '/health')).json).toMatchObject({ details: { database: { status: 'up' } } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await server.kill();
    let answer = await postOrder(replica.url, 1001);
    for (let i = 0; i < 400 && answer.status === 201; i += 1) answer = await postOrder(replica.url, 1001);
    expect(answer.status).toBe(503);
    expect((answer.json as { message: string }).message).toContain('none could be allocated: MariaDB');
    const health = await call(replica.url, 'GET', '/health');
    expect(health.status).toBe(503);
    expect(health.json).toMatchObject({ details: { database: { status: 'down' } } });
  });
});
