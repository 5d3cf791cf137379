import { ZookeeperPaths } from '@app/contracts';
import { SequenceLedger, SnowflakeStrategy, StrategyUnavailableError, systemClock } from '@app/order-numbers';
import { ZookeeperUnavailableError } from '@app/zookeeper';
import { eventually, uniqueName, useBackends } from '../support/backends';
import { usePrivateServices } from '../support/services';

const services = usePrivateServices();
const backends = useBackends();

/** Issues one number, or says why not (503-style refusals are expected while ZooKeeper is frozen). */
async function tryNext(sut: SnowflakeStrategy): Promise<string | Error> {
  try {
    return (await sut.next(1001, { signal: AbortSignal.timeout(500), epoch: 1 })).orderNumber;
  } catch (error) {
    if (error instanceof StrategyUnavailableError || error instanceof ZookeeperUnavailableError) return error;
    throw error;
  }
}

describe('snowflake across ZooKeeper blips its session survives', () => {
  it('keeps its worker ID, leaks no lease, refuses while suspended and never crashes the process', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const zk = await services.zookeeper();
      const session = await backends.zookeeper(zk.connectString, 4000);
      // A short reservation window, so renewals fall due while ZooKeeper is frozen.
      const ledger = new SequenceLedger(await backends.redis(), `${uniqueName('blips')}:`);
      const sut = new SnowflakeStrategy(session, new ZookeeperPaths('/blips'), 'blipper', ledger, () => ({ maxClockSkewMs: 1000 }), systemClock, {
        reservationWindowMs: 600,
      });
      const first = await tryNext(sut);
      expect(typeof first).toBe('string');
      const numbers = new Set<string>([first as string]);

      for (let blip = 0; blip < 3; blip += 1) {
        zk.pause(); // shorter than the session timeout: the session survives, the lease node too
        await eventually('the session to be suspended', () => session.state === 'suspended', 4000);
        expect(await tryNext(sut)).toBeInstanceOf(Error);
        zk.resume();
        await eventually('the session to be connected again', () => session.state === 'connected', 6000);
        await eventually('numbers again', async () => {
          const next = await tryNext(sut);
          if (typeof next !== 'string') return false;
          expect(numbers.has(next)).toBe(false);
          numbers.add(next);
          return true;
        }, 6000);
      }

      const workers = [...numbers].map((number) => number.slice(21, 23));
      expect(new Set(workers)).toEqual(new Set(['00']));
      expect(await session.api().getChildren(new ZookeeperPaths('/blips').workers)).toEqual(['00']);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
