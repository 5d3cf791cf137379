import { countDuplicates, PooledStrategy, PoolFiller, SequenceLedger, StrategyUnavailableError, systemClock } from '@app/order-numbers';
import { uniqueName, useBackends } from '../support/backends';
import { usePrivateServices } from '../support/services';

// The redis-pregen prefetch buffer against real Redis servers: replicas (each its own client and
// buffer) never share a number, each hands its numbers out in pool order, and a request whose
// buffer runs dry while the refill hangs on a frozen Redis gives up at its deadline.

const backends = useBackends();
const services = usePrivateServices();
const NEVER_MS = 3_600_000;
const BUSINESS_ID = 1001;

/** The outcome, or 'hung' if nothing settled in 10 s: that tells a refusal at the deadline from a hang. */
async function settle<T>(work: Promise<T>): Promise<T | Error | 'hung'> {
  let hang: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    work.catch((error: Error) => error),
    new Promise<'hung'>((resolve) => (hang = setTimeout(() => resolve('hung'), 10_000))),
  ]);
  clearTimeout(hang);
  return outcome;
}

describe('redis-pregen prefetch buffers', () => {
  it('never hand the same number to two replicas, and each replica keeps the pool order', async () => {
    const redis = await backends.redis();
    const prefix = `${uniqueName('prefetch')}:`;
    const settings = { businessLines: [BUSINESS_ID], poolSize: 4000, lowWater: 1, maxClockSkewMs: 0 };
    const filler = new PoolFiller(redis, new SequenceLedger(redis, prefix), prefix, () => settings, systemClock, { intervalMs: NEVER_MS });
    filler.start(1, 1);
    await filler.fillOnce();
    filler.stop();
    const prefetch = { batch: 16, refillBelow: 8 };
    const within = () => ({ signal: AbortSignal.timeout(2000), epoch: 1 });
    const replica = async () => new PooledStrategy(await backends.redis(), prefix, prefetch);
    const replicas = await Promise.all([replica(), replica(), replica()]);

    // 40 requests in flight per replica at once: buffers drained and refilled concurrently.
    const concurrent = await Promise.all(
      replicas.map(async (sut) => {
        const numbers: string[] = [];
        await Promise.all(
          Array.from({ length: 40 }, async () => {
            for (let i = 0; i < 20; i += 1) numbers.push((await sut.next(BUSINESS_ID, within())).orderNumber);
          }),
        );
        return numbers;
      }),
    );
    // Then one request at a time per replica, the replicas side by side: each one's answers in order.
    const sequential = await Promise.all(
      replicas.map(async (sut) => {
        const numbers: string[] = [];
        for (let i = 0; i < 100; i += 1) numbers.push((await sut.next(BUSINESS_ID, within())).orderNumber);
        return numbers;
      }),
    );

    const all = [...concurrent, ...sequential].flat();
    expect(all).toHaveLength(3 * 40 * 20 + 3 * 100);
    expect(countDuplicates(all).duplicates).toBe(0);
    for (const numbers of sequential) expect(numbers).toEqual([...numbers].sort());
    // Across replicas the order interleaves: one replica's buffer holds numbers older than another's
    // next ones (README, "Ordering"), which is why only each replica's own answers are checked.
    await Promise.all(replicas.map((sut) => sut.close()));
  });

  it('gives up at the request deadline when the buffer runs dry while the refill hangs on a frozen Redis, and serves after', async () => {
    const server = await services.redis();
    const redis = await backends.redis(server.url);
    const prefix = `${uniqueName('prefetch-frozen')}:`;
    const settings = { businessLines: [BUSINESS_ID], poolSize: 100, lowWater: 1, maxClockSkewMs: 0 };
    const filler = new PoolFiller(redis, new SequenceLedger(redis, prefix), prefix, () => settings, systemClock, { intervalMs: NEVER_MS });
    filler.start(1, 1);
    await filler.fillOnce();
    filler.stop();
    const within = () => ({ signal: AbortSignal.timeout(300), epoch: 1 });
    const sut = new PooledStrategy(redis, prefix, { batch: 4, refillBelow: 2 });

    const first = (await sut.next(BUSINESS_ID, within())).orderNumber; // buffer 4 → 3 left
    server.pause();
    try {
      const drained = [(await sut.next(BUSINESS_ID, within())).orderNumber, (await sut.next(BUSINESS_ID, within())).orderNumber];
      // Below 2 now: the refill is in flight, against a server that does not answer.
      const lastBuffered = (await sut.next(BUSINESS_ID, within())).orderNumber;
      const dry = await settle(sut.next(BUSINESS_ID, within()));
      expect(dry).toBeInstanceOf(StrategyUnavailableError);
      expect(String((dry as Error).message)).toMatch(/deadline/);
      expect([first, ...drained, lastBuffered]).toEqual([first, ...drained, lastBuffered].sort());
    } finally {
      server.resume();
    }
    // The hung refill is answered (or times out and the next one is): the buffer serves again.
    const again = await settle(sut.next(BUSINESS_ID, within()));
    expect(typeof again === 'object' && !(again instanceof Error) ? again.orderNumber : again).toMatch(/^\d{25}$/);
  });
});
