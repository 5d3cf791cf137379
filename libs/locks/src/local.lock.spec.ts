import { LockTimeoutError } from './errors';
import { LocalLock } from './local.lock';
import { DistributedLock } from './lock';
import { UnguardedLock } from './unguarded.lock';
import { sleep } from './wait';

const LONG = { waitMs: 5_000, ttlMs: 5_000 };
const SHORT = { waitMs: 30, ttlMs: 5_000 };

/**
 * Starts `contenders` holders at once; each holds the lease across an `await` of a few ms and
 * records entering and leaving. Returns the record.
 */
async function holdConcurrently(sut: DistributedLock, contenders: number): Promise<string[]> {
  const record: string[] = [];
  await Promise.all(
    Array.from({ length: contenders }, async (_, index) => {
      const lease = await sut.acquire('business-line-1001', LONG);
      try {
        record.push(`enter ${index}`);
        await sleep(1 + (index % 3));
        record.push(`leave ${index}`);
      } finally {
        await lease.release();
      }
    }),
  );
  return record;
}

/** The most holders that were inside together, by the record. */
function mostInsideAtOnce(record: string[]): number {
  let inside = 0;
  let most = 0;
  for (const event of record) {
    inside += event.startsWith('enter') ? 1 : -1;
    most = Math.max(most, inside);
  }
  return most;
}

describe('LocalLock', () => {
  it('lets one holder in at a time among 50 concurrent contenders', async () => {
    const sut = new LocalLock();
    const record = await holdConcurrently(sut, 50);
    expect(record).toHaveLength(100);
    for (let i = 0; i < record.length; i += 2) {
      // Every entry is followed by the same holder leaving, before anyone else enters.
      expect(record[i + 1]).toBe(record[i].replace('enter', 'leave'));
    }
    expect(mostInsideAtOnce(record)).toBe(1);
    expect(sut.stats.acquisitions).toBe(50);
  });

  it('(control) the same harness sees overlap without a lock, so the exclusion check can fail', async () => {
    const record = await holdConcurrently(new UnguardedLock(), 50);
    expect(mostInsideAtOnce(record)).toBeGreaterThan(1);
  });

  it('hands out a lease without a fencing token that is never lost', async () => {
    const sut = await new LocalLock().acquire('r', LONG);
    expect(sut.resource).toBe('r');
    expect(sut.token).toBeUndefined();
    expect(sut.lost.aborted).toBe(false);
    await sut.release();
  });

  it('does not make one resource wait for another', async () => {
    const sut = new LocalLock();
    const held = await sut.acquire('business-line-1001', LONG);
    const other = await sut.acquire('business-line-2001', SHORT);
    await other.release();
    await held.release();
  });

  it('gives up with LockTimeoutError after waitMs while another holds the resource', async () => {
    const sut = new LocalLock();
    const held = await sut.acquire('r', LONG);
    const error = await sut.acquire('r', SHORT).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LockTimeoutError);
    expect(error).toMatchObject({ resource: 'r', waitMs: SHORT.waitMs, kind: 'local' });
    await held.release();
  });

  it('does not let a timed-out waiter keep the mutex', async () => {
    const sut = new LocalLock();
    const held = await sut.acquire('r', LONG);
    await expect(sut.acquire('r', SHORT)).rejects.toBeInstanceOf(LockTimeoutError);
    // A waiter queued behind the one that gave up must still get the lock.
    const queued = sut.acquire('r', LONG);
    await held.release();
    const next = await queued;
    await next.release();
    const later = await sut.acquire('r', SHORT);
    await later.release();
    expect(sut.stats.acquisitions).toBe(3);
  });

  it('releases only its own lease: a second release() does not free the next holder', async () => {
    const sut = new LocalLock();
    const first = await sut.acquire('r', LONG);
    await first.release();
    const second = await sut.acquire('r', LONG);
    await first.release();
    await expect(sut.acquire('r', SHORT)).rejects.toBeInstanceOf(LockTimeoutError);
    await second.release();
  });

});
