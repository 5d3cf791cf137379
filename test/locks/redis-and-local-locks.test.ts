import { LocalLock, RedisLock, RedlockLock, releaseChannel, UnguardedLock } from '@app/locks';
import Redis from 'ioredis';
import { acquireWithToken } from '@app/redis';
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

/** Long enough that only a release, never a deadline, ends a wait in these tests. */
const WAIT = { waitMs: 40000, ttlMs: 30000 };

/**
 * One lock, `line`, under a fresh prefix, and "processes" contending for it: each RedisLock has its
 * own place in the lock's line and its own release channel, as a replica has.
 */
async function lineOfProcesses(name: string) {
  const prefix = `${uniqueName(name)}:`;
  const admin = await backends.redis();
  const process = async (fallbackMs = 100, handoffMs?: number) => {
    const client = await backends.redis();
    return { client, lock: new RedisLock(client, prefix, undefined, { fallbackMs, handoffMs }) };
  };
  /** First in line: a process that listens (its connection takes the message) but never acts, as under SIGSTOP. */
  const pausedProcess = async () => {
    const paused = await backends.redis();
    await paused.subscribe(`${releaseChannel(`${prefix}lock:line`)}:a-paused-process`);
    await admin.zadd(`${prefix}lock-waiters:line`, 0, 'a-paused-process');
  };
  return { prefix, admin, process, pausedProcess, waitersKey: `${prefix}lock-waiters:line` };
}

/** From now on, how many times `client` has sent the lock's acquire script (its tries). */
function countAcquireTries(client: Redis): () => number {
  const calls = jest.spyOn(client, 'evalsha');
  return () => calls.mock.calls.filter(([sha]) => sha === acquireWithToken.sha).length;
}

/** Processes listening for releases of `<prefix>lock:line`, each on its own channel. */
async function listeners(admin: Redis, prefix: string): Promise<number> {
  const channels = (await admin.pubsub('CHANNELS', `${releaseChannel(`${prefix}lock:line`)}:*`)) as string[];
  return channels.length;
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
    await eventually('the waiter listens on its release channel', async () => (await listeners(admin, prefix)) > 0);
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

  it('has a waiter whose process already listens on the channel try once, then wait for the release', async () => {
    const { prefix, admin, process } = await lineOfProcesses('listening');
    const { lock: holderLock } = await process();
    const { client: waiterClient, lock: waiterLock } = await process(60000);
    const options = WAIT;
    // A first contention: the waiter's process subscribes to the lock's channel.
    const first = await holderLock.acquire('line', options);
    const subscribing = waiterLock.acquire('line', options);
    await eventually('the waiter listens on its release channel', async () => (await listeners(admin, prefix)) > 0);
    await first.release();
    await (await within(subscribing, 15000))?.release();
    // The second contention, counted.
    const second = await holderLock.acquire('line', options);
    const acquireTries = countAcquireTries(waiterClient);

    const waiting = waiterLock.acquire('line', options);
    await eventually('the waiter has tried once', async () => acquireTries() >= 1);
    // Before the fix a second try followed the first at once; now only the release (or the 60 s fallback) brings one.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const triesBeforeRelease = acquireTries();
    await second.release();
    const lease = await within(waiting, 15000);

    expect(triesBeforeRelease).toBe(1);
    expect(acquireTries()).toBe(2);
    expect(lease?.token).toBeGreaterThan(second.token as number);
    await lease?.release();
  });

  it('has a caller whose process already has a caller in line wait its turn without trying on arrival', async () => {
    const { prefix, admin, process } = await lineOfProcesses('own-line');
    const { lock: holderLock } = await process();
    const { client: waitingClient, lock: waitingLock } = await process(60000);
    const holder = await holderLock.acquire('line', WAIT);
    const first = waitingLock.acquire('line', WAIT);
    await eventually('the first caller listens', async () => (await listeners(admin, prefix)) === 1);
    const acquireTries = countAcquireTries(waitingClient);

    const second = waitingLock.acquire('line', WAIT);
    await new Promise((resolve) => setTimeout(resolve, 300)); // a try on arrival would have been sent by now
    const triesBeforeRelease = acquireTries();
    await holder.release();
    const firstLease = await within(first, 15000);
    await firstLease?.release(); // its process is next in line: the second caller is woken here, no round trip
    const secondLease = await within(second, 15000);

    expect(triesBeforeRelease).toBe(0);
    expect(firstLease?.token).toBeGreaterThan(holder.token as number);
    expect(secondLease?.token).toBeGreaterThan(firstLease?.token as number);
    expect(acquireTries()).toBe(2); // one each, when woken
    await secondLease?.release();
  });

  it('wakes only the process first in line, then the next one on the next release', async () => {
    const { prefix, admin, process } = await lineOfProcesses('line');
    const options = WAIT;
    const { lock: holderLock } = await process();
    const { lock: firstLock } = await process(60000);
    const { client: secondClient, lock: secondLock } = await process(60000);
    const holder = await holderLock.acquire('line', options);
    const firstWaiting = firstLock.acquire('line', options);
    await eventually('the first waiter listens', async () => (await listeners(admin, prefix)) === 1);
    const secondWaiting = secondLock.acquire('line', options);
    await eventually('the second waiter listens', async () => (await listeners(admin, prefix)) === 2);
    const secondTries = jest.spyOn(secondClient, 'evalsha');

    await holder.release();
    const first = await within(firstWaiting, 15000);
    await new Promise((resolve) => setTimeout(resolve, 300)); // a woken second process would try at once

    expect(first).not.toBeNull();
    expect(secondTries).not.toHaveBeenCalled();
    await first?.release();
    const second = await within(secondWaiting, 15000);
    expect(second?.token).toBeGreaterThan(first?.token as number);
    await second?.release();
  });

  it('passes over a process in line that no longer listens (it died) and wakes the next', async () => {
    const { prefix, admin, process, waitersKey } = await lineOfProcesses('ghost');
    const { lock: holderLock } = await process();
    const { lock: waiterLock } = await process(60000);
    const holder = await holderLock.acquire('line', WAIT);
    // A process that joined the line first and died: its place is left, its channel has no listener.
    await admin.zadd(waitersKey, 0, 'a-process-that-died');
    const waiting = waiterLock.acquire('line', WAIT);
    await eventually('the waiter listens', async () => (await listeners(admin, prefix)) === 1);

    await holder.release();
    const lease = await within(waiting, 15000); // its fallback is 60 s: only the release script's wake-up lets it in

    expect(lease?.token).toBeGreaterThan(holder.token as number);
    expect(await admin.zscore(waitersKey, 'a-process-that-died')).toBeNull();
    await lease?.release();
  });

  it('takes a process that was woken and did not come (paused) out of the line at the next release', async () => {
    const { prefix, admin, process, pausedProcess, waitersKey } = await lineOfProcesses('paused');
    const options = WAIT;
    const { lock: holderLock } = await process();
    await pausedProcess();
    const holder = await holderLock.acquire('line', options);
    // Second in line: its fallback retry is what gets it in after the wake-up the paused one missed.
    const impatient = (await process(400)).lock.acquire('line', options);
    await eventually('the second listens', async () => (await listeners(admin, prefix)) === 2);
    // Third in line: only a release script's wake-up can let it in within the test (its fallback is 60 s).
    const patient = (await process(60000)).lock.acquire('line', options);
    await eventually('the third listens', async () => (await listeners(admin, prefix)) === 3);

    await holder.release(); // wakes the paused process
    const second = await within(impatient, 15000);
    await second?.release(); // the paused one did not come: out of the line, the third is woken
    const third = await within(patient, 15000);

    expect(second).not.toBeNull();
    expect(third?.token).toBeGreaterThan(second?.token as number);
    expect(await admin.zrange(waitersKey, 0, -1)).toEqual([]);
    await third?.release();
  });

  it('keeps a released lock for the process it woke: the releaser tries again, and gets in only when that runs out', async () => {
    const { process, pausedProcess } = await lineOfProcesses('reserved');
    // Its fallback (60 s) is far beyond the test: only the reservation's end lets it in again.
    const { lock } = await process(60000, 1000);
    await pausedProcess();
    const first = await lock.acquire('line', WAIT);
    await first.release(); // wakes the paused process and keeps the lock for it a second

    const releasedAt = Date.now();
    const again = lock.acquire('line', WAIT);
    const early = await within(again, 500);
    const second = early ?? (await within(again, 15000));

    expect(early).toBeNull();
    expect(second?.token).toBeGreaterThan(first.token as number);
    expect(Date.now() - releasedAt).toBeGreaterThanOrEqual(900);
    await second?.release();
  });

  it('serves the line in turn: the releaser\'s next try waits behind the process its release woke', async () => {
    const { admin, prefix, process } = await lineOfProcesses('turns');
    // A long reservation, so the woken process's arrival is never outrun on a slow machine.
    const { lock: releaserLock } = await process(60000, 10000);
    const { lock: waiterLock } = await process(60000, 10000);
    const held = await releaserLock.acquire('line', WAIT);
    const waiting = waiterLock.acquire('line', WAIT);
    await eventually('the waiter listens', async () => (await listeners(admin, prefix)) === 1);

    await held.release();
    const again = releaserLock.acquire('line', WAIT); // at once, as a replica's next batch does
    const waiter = await within(waiting, 15000);
    const early = await within(again, 300);
    await waiter?.release(); // wakes the releaser, now in line behind it
    const releaser = early ?? (await within(again, 15000));

    expect(waiter?.token).toBeGreaterThan(held.token as number);
    expect(early).toBeNull();
    expect(releaser?.token).toBeGreaterThan(waiter?.token as number);
    await releaser?.release();
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
