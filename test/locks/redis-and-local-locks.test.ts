import { LocalLock, RedisLock, UnguardedLock } from '@app/locks';
import { uniqueName, useBackends } from '../support/backends';
import { contend, describeLockContract } from './lock-contract';

const backends = useBackends();

describeLockContract('redis (SET NX PX, compare-and-delete)', async () => {
  const prefix = `${uniqueName('locks')}:`;
  return {
    first: new RedisLock(await backends.redis(), prefix),
    second: new RedisLock(await backends.redis(), prefix),
  };
});

// One process is all a local lock guards: both "clients" are the same instance.
describeLockContract('local (in-process mutex)', async () => {
  const lock = new LocalLock();
  return { first: lock, second: lock };
});

describe('the exclusion check itself', () => {
  it('sees overlapping holders when nothing guards them (so a pass above means something)', async () => {
    const { maxHolders } = await contend([new UnguardedLock()], 'r', 20);
    expect(maxHolders).toBeGreaterThan(1);
  });

  it('sees overlap between two processes that each have only a local lock', async () => {
    const { maxHolders } = await contend([new LocalLock(), new LocalLock()], 'r', 20);
    expect(maxHolders).toBeGreaterThan(1);
  });
});
