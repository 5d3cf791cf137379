import { PooledStrategy, PoolFiller, poolKey, SequenceLedger, systemClock } from '@app/order-numbers';
import { eventually, uniqueName, useBackends } from '../support/backends';
import { usePrivateServices } from '../support/services';

// Issue 7 item 8: a Redis that comes back as a new run may have lost pops it acknowledged (an
// `appendfsync everysec` crash, a restored snapshot), so a pool would hand the same numbers out
// again. Planted here for certain: SAVE a snapshot of a full pool, hand some numbers out, stop the
// server without saving, start it on the same port and data directory: the snapshot brings the
// handed-out numbers back into the list.

const backends = useBackends();
const services = usePrivateServices();
const NEVER_MS = 3_600_000;
const BUSINESS_ID = 1001;

describe('redis-pregen across a Redis restart that lost acknowledged pops', () => {
  it('hands out none of the numbers popped before the restart, and serves again once the master refills', async () => {
    const server = await services.redis();
    const redis = await backends.redis(server.url);
    const prefix = `${uniqueName('pool-run')}:`;
    const settings = { businessLines: [BUSINESS_ID], poolSize: 50, lowWater: 20, maxClockSkewMs: 0 };
    const filler = new PoolFiller(redis, new SequenceLedger(redis, prefix), prefix, () => settings, systemClock, { intervalMs: NEVER_MS });
    filler.start(1, 1);
    const sut = new PooledStrategy(redis, prefix);
    const within300ms = () => ({ signal: AbortSignal.timeout(300), epoch: 1 });
    try {
      await filler.fillOnce();
      await redis.save();
      const handed: string[] = [];
      for (let i = 0; i < 10; i += 1) handed.push((await sut.next(BUSINESS_ID, within300ms())).orderNumber);

      await server.stop();
      await server.start();
      await eventually('the client to reconnect', () => redis.ping().then(() => true, () => false));
      // The planted loss is real: the popped numbers are back in the list.
      expect(await redis.lrange(poolKey(prefix, BUSINESS_ID), 0, 9)).toEqual(handed);

      // A request before the master has noticed the new run, then the master's pass, then the pool.
      const beforeRefill = await sut.next(BUSINESS_ID, within300ms()).then((issued) => [issued.orderNumber], () => []);
      await filler.fillOnce();
      const after = [...beforeRefill];
      for (let i = 0; i < settings.poolSize; i += 1) {
        const number = await sut.next(BUSINESS_ID, within300ms()).then((issued) => issued.orderNumber, () => null);
        if (number === null) break;
        after.push(number);
      }

      expect(after.filter((number) => handed.includes(number))).toEqual([]);
      expect(new Set([...handed, ...after]).size).toBe(handed.length + after.length);
      expect(after.length).toBeGreaterThanOrEqual(settings.poolSize); // refilled: it serves again
    } finally {
      filler.stop();
    }
  });
});
