import {
  countDuplicates,
  EpochSupersededError,
  parseOrderNumber,
  PooledStrategy,
  PoolFiller,
  poolKey,
  PoolSettings,
  SequenceLedger,
  StaleTokenError,
  StrategyUnavailableError,
  systemClock,
} from '@app/order-numbers';
import { uniqueName, useBackends } from '../support/backends';

// The redis-pregen pools at the library level against the real Redis: filling up to the pool size
// from below the low-water mark, the deposed master of DESIGN §3, and the hot path's LPOP.

const backends = useBackends();
const LINES = [1001, 2001];
const SETTINGS: PoolSettings = { businessLines: LINES, poolSize: 50, lowWater: 20, maxClockSkewMs: 0 };
/** The interval timer is parked: each test drives the passes itself with fillOnce(). */
const NEVER_MS = 3_600_000;

const fillers: PoolFiller[] = [];
afterEach(() => fillers.splice(0).forEach((filler) => filler.stop()));

async function setup() {
  const redis = await backends.redis();
  const prefix = `${uniqueName('pool')}:`;
  const filler = (token: number, settings = SETTINGS, epoch = 1): PoolFiller => {
    const sut = new PoolFiller(redis, new SequenceLedger(redis, prefix), prefix, () => settings, systemClock, { intervalMs: NEVER_MS });
    fillers.push(sut);
    sut.start(token, epoch); // fillOnce() only pushes under an election token
    return sut;
  };
  const pool = (businessId: number) => redis.lrange(poolKey(prefix, businessId), 0, -1);
  const length = (businessId: number) => redis.llen(poolKey(prefix, businessId));
  const drainTo = async (businessId: number, left: number) => {
    const excess = (await length(businessId)) - left;
    if (excess > 0) await redis.lpop(poolKey(prefix, businessId), excess);
  };
  return { redis, prefix, filler, pool, length, drainTo };
}

function expectIncreasingAndDistinct(numbers: string[], businessId: number): void {
  for (const number of numbers) {
    expect(number).toMatch(/^\d{25}$/);
    expect(parseOrderNumber(number).businessId).toBe(businessId);
  }
  for (let i = 1; i < numbers.length; i += 1) expect(numbers[i] > numbers[i - 1]).toBe(true);
  expect(countDuplicates(numbers).duplicates).toBe(0);
}

describe('PoolFiller.fillOnce', () => {
  it('fills every business line up to poolSize, each list distinct and increasing', async () => {
    const { filler, pool } = await setup();
    const sut = filler(1);

    expect(await sut.fillOnce()).toBe(2 * SETTINGS.poolSize);

    for (const businessId of LINES) {
      const numbers = await pool(businessId);
      expect(numbers).toHaveLength(SETTINGS.poolSize);
      expectIncreasingAndDistinct(numbers, businessId);
    }
  });

  it('leaves a pool at or above low-water alone and refills one below it to poolSize, continuing the sequence', async () => {
    const { filler, pool, length, drainTo } = await setup();
    const sut = filler(1);
    await sut.fillOnce();
    const firstFill = await pool(1001);

    await drainTo(1001, SETTINGS.lowWater);
    expect(await sut.fillOnce()).toBe(0);
    expect(await length(1001)).toBe(SETTINGS.lowWater);

    await drainTo(1001, SETTINGS.lowWater - 1);
    expect(await sut.fillOnce()).toBe(SETTINGS.poolSize - SETTINGS.lowWater + 1);
    const refilled = await pool(1001);
    expect(refilled).toHaveLength(SETTINGS.poolSize);
    expect(refilled.slice(0, SETTINGS.lowWater - 1)).toEqual(firstFill.slice(-(SETTINGS.lowWater - 1)));
    expectIncreasingAndDistinct(refilled, 1001);
    expect(await length(2001)).toBe(SETTINGS.poolSize);
  });

  it('refuses a deposed master (a lower election token than one already used) and pushes nothing', async () => {
    const { filler, length, pool, drainTo } = await setup();
    const deposed = filler(5);
    await deposed.fillOnce();
    const successor = filler(7);
    await drainTo(1001, 0);
    await drainTo(2001, 0);
    await successor.fillOnce();
    await drainTo(1001, 3); // below low-water: the deposed master would push if it were let
    const before = await pool(1001);

    await expect(deposed.fillOnce()).rejects.toBeInstanceOf(StaleTokenError);

    expect(await length(1001)).toBe(3);
    expect(await pool(1001)).toEqual(before);
    await expect(filler(3).fillOnce()).rejects.toBeInstanceOf(StaleTokenError);
    expect(await length(1001)).toBe(3);
    expect(await successor.fillOnce()).toBe(SETTINGS.poolSize - 3);
  });

  it('refuses a master of an older epoch whatever its token, and lets one of a newer epoch in with a lower token', async () => {
    const { filler, length, drainTo } = await setup();
    const older = filler(900, SETTINGS, 1);
    await older.fillOnce();
    await drainTo(1001, 0);
    await drainTo(2001, 0);
    const newer = filler(2, SETTINGS, 2);
    expect(await newer.fillOnce()).toBe(2 * SETTINGS.poolSize);
    await drainTo(1001, 0);

    await expect(older.fillOnce()).rejects.toBeInstanceOf(EpochSupersededError);
    expect(await length(1001)).toBe(0);
  });
});

describe('PooledStrategy.next', () => {
  it('pops the pool in order, then answers StrategyUnavailableError once it is empty past the deadline', async () => {
    const { redis, prefix, filler, pool } = await setup();
    await filler(1, { businessLines: [1001], poolSize: 10, lowWater: 1, maxClockSkewMs: 0 }).fillOnce();
    const expected = await pool(1001);
    const sut = new PooledStrategy(redis, prefix);
    const context = () => ({ signal: AbortSignal.timeout(300), epoch: 1 });

    const taken: string[] = [];
    for (let i = 0; i < expected.length; i += 1) taken.push((await sut.next(1001, context())).orderNumber);
    expect(taken).toEqual(expected);

    // The deadline is the request's (300 ms); the 10 s race only tells a refusal from a hang.
    let hang: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      sut.next(1001, context()).then(() => 'issued', (error: unknown) => error),
      new Promise((resolve) => (hang = setTimeout(() => resolve('hung'), 10_000))),
    ]);
    clearTimeout(hang);
    expect(outcome).toBeInstanceOf(StrategyUnavailableError);
    expect(String((outcome as Error).message)).toMatch(/1001/);
  });
});
