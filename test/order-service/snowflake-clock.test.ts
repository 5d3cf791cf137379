import { ZookeeperPaths } from '@app/contracts';
import { parseOrderNumber, SequenceLedger, SnowflakeStrategy, StrategyUnavailableError, systemClock } from '@app/order-numbers';
import { uniqueName, useBackends } from '../support/backends';
import { trackTimers } from '../support/pending-timers';

// DESIGN §3, "Time", for `snowflake`: a new lessee whose predecessor's recorded bound is ahead of
// its clock issues past that bound logically while it is within MAX_CLOCK_SKEW_MS, instead of
// waiting for the clock; a bound further ahead is never issued into.

const backends = useBackends();
const SKEW_MS = 1000;
/** The deadline is far shorter than the bound is ahead: waiting for the clock cannot succeed. */
const within100ms = () => ({ signal: AbortSignal.timeout(100), epoch: 1 });

async function withBound(aheadMs: number): Promise<{ sut: SnowflakeStrategy; bound: number }> {
  const session = await backends.zookeeper();
  const paths = new ZookeeperPaths(`/${uniqueName('sf-clock')}`);
  const bound = Date.now() + aheadMs;
  await session.api().mkdirp(paths.workerState(0));
  await session.api().setData(paths.workerState(0), Buffer.from(JSON.stringify({ reservedUntilMs: bound })));
  // The deadline is far shorter than the bound is ahead: waiting for the clock cannot succeed.
  const ledger = new SequenceLedger(await backends.redis(), `${uniqueName('sf-clock')}:`);
  const sut = new SnowflakeStrategy(session, paths, 'lessee', ledger, () => ({ maxClockSkewMs: SKEW_MS }), systemClock);
  return { sut, bound };
}

describe('snowflake behind its worker ID bound', () => {
  it('within MAX_CLOCK_SKEW_MS: issues past the bound at once, across logical milliseconds, never repeating', async () => {
    const { sut, bound } = await withBound(600);
    try {
      const numbers: string[] = [];
      for (let i = 0; i < 250; i += 1) numbers.push((await sut.next(1001, within100ms())).orderNumber); // more than 100 per millisecond
      const stamps = numbers.map((number) => parseOrderNumber(number).timestampMs);
      expect(Math.min(...stamps)).toBeGreaterThan(bound);
      expect(new Set(numbers).size).toBe(numbers.length);
      for (let i = 1; i < numbers.length; i += 1) expect(numbers[i] > numbers[i - 1]).toBe(true);
      expect(new Set(numbers.map((number) => number.slice(21, 23)))).toEqual(new Set(['00']));
    } finally {
      await sut.close();
    }
  });

  it('beyond MAX_CLOCK_SKEW_MS: refuses with 503 at the deadline rather than stamp that far ahead', async () => {
    const { sut } = await withBound(60_000);
    const waits = trackTimers(30_000);
    try {
      await expect(sut.next(1001, within100ms())).rejects.toBeInstanceOf(StrategyUnavailableError);
      // The wait for the clock, given up at the deadline, is gone with it: it held the request's
      // closure (and kept a test run alive) for the minute it would have waited.
      expect(waits.pending()).toBe(0);
    } finally {
      waits.restore();
      await sut.close();
    }
  });
});

describe('snowflake whose reservation record and Redis bound are both lost', () => {
  it('leases again above what it issued itself: never the same millisecond and sequence twice', async () => {
    const session = await backends.zookeeper();
    const paths = new ZookeeperPaths(`/${uniqueName('sf-lost')}`);
    const prefix = `${uniqueName('sf-lost')}:`;
    const redis = await backends.redis();
    let now = Date.now();
    const sut = new SnowflakeStrategy(session, paths, 'lessee', new SequenceLedger(redis, prefix), () => ({ maxClockSkewMs: SKEW_MS }), { now: () => now });
    try {
      const numbers = [(await sut.next(1001, within100ms())).orderNumber];
      // An operator deletes the record.
      await session.api().remove(paths.workerState(0));
      // Past half the 2 s window: this order starts the renewal, which finds the record gone.
      now += 1500;
      numbers.push((await sut.next(1001, within100ms())).orderNumber);
      await new Promise((resolve) => setTimeout(resolve, 200));
      // Then Redis loses the bounds too (a FLUSHALL, a restart without data): neither says what was used.
      await redis.del(...(await redis.keys(`${prefix}snowflake-bound*`)));
      // Same millisecond: the replica leases again, and must not start that millisecond over.
      for (let i = 0; i < 5; i += 1) numbers.push((await sut.next(1001, within100ms())).orderNumber);
      expect(new Set(numbers).size).toBe(numbers.length);
      expect((await session.api().exists(paths.workerState(0))) !== null).toBe(true);
    } finally {
      await sut.close();
    }
  });
});

