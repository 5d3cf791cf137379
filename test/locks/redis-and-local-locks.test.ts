import { LocalLock, RedisLock, RedlockLock, releaseChannel, UnguardedLock } from '@app/locks';
import { eventually, uniqueName, useBackends } from '../support/backends';
import { contend, describeLockContract } from './lock-contract';

const backends = useBackends();

describeLockContract('redis (SET NX PX, compare-and-delete)', async () => {
  const prefix = `${uniqueName('locks')}:`;
  return {
    first: new RedisLock(await backends.redis(), prefix),
    second: new RedisLock(await backends.redis(), prefix),
  };
});

// The reference row from outside: npm redlock 4.2.0 keeps the same contract, minus fencing tokens.
describeLockContract('redlock (npm redlock 4.2.0, unfenced)', async () => {
  const prefix = `${uniqueName('redlock')}:`;
  return {
    first: new RedlockLock(await backends.redis(), prefix),
    second: new RedlockLock(await backends.redis(), prefix),
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

/** The promise's value, or null once `ms` passed first (the timer is cleared either way). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

describe('redis lock waiters: woken by the release, retrying only as a fallback', () => {
  const holdingWaiter = async (fallbackMs: number) => {
    const prefix = `${uniqueName('wake')}:`;
    const admin = await backends.redis();
    const holderLock = new RedisLock(await backends.redis(), prefix);
    const waiterLock = new RedisLock(await backends.redis(), prefix, undefined, { fallbackMs });
    const holder = await holderLock.acquire('line', { waitMs: 1000, ttlMs: 30000 });
    const startedAt = Date.now();
    const waiter = waiterLock.acquire('line', { waitMs: 40000, ttlMs: 30000 });
    // The waiter has found the lock taken once it listens on the lock's channel.
    await eventually('the waiter subscribes to the release channel', async () => {
      const [, subscribers] = (await admin.pubsub('NUMSUB', releaseChannel(`${prefix}lock:line`))) as [string, number];
      return subscribers > 0;
    });
    return { admin, prefix, holder, waiter, startedAt };
  };

  // The fallback (60 s) and the wait (40 s) are far beyond the bound: only the notification can let it in within it.
  it('lets a waiter in on the holder release, long before its fallback retry or its deadline', async () => {
    const { holder, waiter, startedAt } = await holdingWaiter(60000);
    await holder.release();
    const lease = await within(waiter, 15000);
    expect(lease).not.toBeNull();
    expect(lease?.token).toBeGreaterThan(holder.token as number);
    expect(Date.now() - startedAt).toBeLessThan(15000);
    await lease?.release();
  });

  it('still lets the waiter in when the release notification is lost (key deleted without a publish)', async () => {
    const { admin, prefix, holder, waiter } = await holdingWaiter(50);
    await admin.del(`${prefix}lock:line`); // what a TTL expiry or a lost PUBLISH looks like to the waiter
    const lease = await within(waiter, 15000);
    expect(lease).not.toBeNull();
    expect(lease?.token).toBeGreaterThan(holder.token as number);
    await lease?.release();
    await holder.release(); // no longer its key: compare-and-delete leaves the waiter's successor alone
  });
});
