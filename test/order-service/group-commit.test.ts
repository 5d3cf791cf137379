import { StrategyName } from '@app/contracts';
import { countDuplicates, LockedSettings, LockedStrategy, parseOrderNumber, SequenceLedger } from '@app/order-numbers';
import { MariadbDatabase } from '@app/mariadb';
import { requireEnv, uniqueName, useBackends } from '../support/backends';
import { strategyInProcess } from './support/strategies';

// Issue 9, batching under the lock (DESIGN §5): the requests of one business line that arrive
// while one of them waits for the lock, or holds it, are issued by ONE critical section — one
// ledger read, k consecutive numbers, one mark write, one release, all under one fencing token.
// Real Redis and ZooKeeper; the ledger's writes are counted on the real calls.

const backends = useBackends();
const BUSINESS_ID = 1001;
const REQUESTS = 60;

async function strategyUnder(name: StrategyName, lockBatchMax: number): Promise<{ sut: LockedStrategy; writes: () => number }> {
  const prefix = `${uniqueName(`batch-${name}`)}:`;
  let writes = 0;
  const write = SequenceLedger.prototype.write;
  const settings: LockedSettings = { fencing: true, lockTtlMs: 2000, lockWaitMs: 5000, lockBatchMax, maxClockSkewMs: 1000 };
  const sut = (await strategyInProcess(name, backends, {
    prefix,
    // Never connected: no database strategy is built here.
    database: new MariadbDatabase({ url: requireEnv('TEST_DATABASE_URL'), connectionLimit: 1 }),
    settings,
    owner: 'batcher',
  })) as LockedStrategy;
  // Counts the mark writes that reach Redis for this prefix (the ledger is built inside the factory).
  jest.spyOn(SequenceLedger.prototype, 'write').mockImplementation(function (this: SequenceLedger, ...args) {
    if (this.markKey(BUSINESS_ID).startsWith(prefix)) writes += 1;
    return write.apply(this, args);
  });
  return { sut, writes: () => writes };
}

/** Each number's (ms, seq): consecutive means the next sequence, or sequence 0 of a later millisecond. */
function consecutive(numbers: string[]): boolean {
  const marks = numbers.map((number) => ({ ms: parseOrderNumber(number).timestampMs, seq: Number(number.slice(21)) }));
  return marks.every((mark, i) => {
    if (i === 0) return true;
    const previous = marks[i - 1];
    return mark.ms === previous.ms ? mark.seq === previous.seq + 1 : mark.ms > previous.ms && mark.seq === 0;
  });
}

afterEach(() => jest.restoreAllMocks());

describe('group commit under the lock', () => {
  it.each<StrategyName>(['redis', 'zookeeper'])('%s: concurrent requests share critical sections, one token and one mark write each', async (name) => {
    const { sut, writes } = await strategyUnder(name, 16);
    const acquisitionsBefore = sut.lockStats.acquisitions;
    const issued = await Promise.all(
      Array.from({ length: REQUESTS }, () => sut.next(BUSINESS_ID, { signal: AbortSignal.timeout(10_000), epoch: 1 })),
    );

    expect(countDuplicates(issued.map((one) => one.orderNumber)).duplicates).toBe(0);
    const byToken = new Map<number, string[]>();
    for (const { fencingToken, orderNumber } of issued) {
      byToken.set(fencingToken as number, [...(byToken.get(fencingToken as number) ?? []), orderNumber]);
    }
    const acquisitions = sut.lockStats.acquisitions - acquisitionsBefore;
    // Batching happened: fewer critical sections than requests, none larger than the cap.
    expect(byToken.size).toBe(acquisitions);
    expect(acquisitions).toBeLessThan(REQUESTS);
    expect(writes()).toBe(acquisitions);
    for (const numbers of byToken.values()) {
      expect(numbers.length).toBeLessThanOrEqual(16);
      expect(consecutive([...numbers].sort())).toBe(true);
    }
  });

  it('lockBatchMax 1: one lock, one token and one mark write per order (one lock per order, as the bench shows it)', async () => {
    const { sut, writes } = await strategyUnder('redis', 1);
    const acquisitionsBefore = sut.lockStats.acquisitions;
    const issued = await Promise.all(
      Array.from({ length: 20 }, () => sut.next(BUSINESS_ID, { signal: AbortSignal.timeout(10_000), epoch: 1 })),
    );
    expect(new Set(issued.map((one) => one.fencingToken)).size).toBe(20);
    expect(sut.lockStats.acquisitions - acquisitionsBefore).toBe(20);
    expect(writes()).toBe(20);
  });

  it('a request whose deadline passes in the queue gets 503 in time; the others are served', async () => {
    const { sut } = await strategyUnder('redis', 4);
    const hurried = sut.next(BUSINESS_ID, { signal: AbortSignal.abort(), epoch: 1 });
    const patient = Array.from({ length: 8 }, () => sut.next(BUSINESS_ID, { signal: AbortSignal.timeout(10_000), epoch: 1 }));
    await expect(hurried).rejects.toMatchObject({ statusCode: 503 });
    const served = await Promise.all(patient);
    expect(countDuplicates(served.map((one) => one.orderNumber)).duplicates).toBe(0);
  });
});
