import { LockTimeoutError } from './errors';
import { LocalLock } from './local.lock';
import { Lease } from './lock';
import { withLock } from './with-lock';

const LONG = { waitMs: 5_000, ttlMs: 5_000 };
const SHORT = { waitMs: 30, ttlMs: 5_000 };

/** Whether `resource` is free right now: a short acquire succeeds (and is given back at once). */
async function isFree(lock: LocalLock, resource: string): Promise<boolean> {
  try {
    const lease = await lock.acquire(resource, SHORT);
    await lease.release();
    return true;
  } catch (error) {
    if (error instanceof LockTimeoutError) return false;
    throw error;
  }
}

describe('withLock', () => {
  it("returns the routine's value and releases afterwards", async () => {
    const lock = new LocalLock();
    const sut = await withLock(lock, 'r', LONG, async () => ({ orderNumber: '2026112518401234510010000' }));
    expect(sut).toEqual({ orderNumber: '2026112518401234510010000' });
    expect(await isFree(lock, 'r')).toBe(true);
  });

  it('holds the lock while the routine runs and hands it the lease', async () => {
    const lock = new LocalLock();
    let seen: Lease | undefined;
    let freeInside: boolean | undefined;
    await withLock(lock, 'r', LONG, async (lease) => {
      seen = lease;
      freeInside = await isFree(lock, 'r');
    });
    expect(seen?.resource).toBe('r');
    expect(freeInside).toBe(false);
  });

  it("releases in finally when the routine throws, and passes the routine's error on", async () => {
    const lock = new LocalLock();
    const failure = new Error('ledger write failed');
    await expect(withLock(lock, 'r', LONG, async () => { throw failure; })).rejects.toBe(failure);
    expect(await isFree(lock, 'r')).toBe(true);
  });

  it('does not run the routine when the lock cannot be acquired', async () => {
    const lock = new LocalLock();
    const held = await lock.acquire('r', LONG);
    const routine = jest.fn(async () => 'issued');
    await expect(withLock(lock, 'r', SHORT, routine)).rejects.toBeInstanceOf(LockTimeoutError);
    expect(routine).not.toHaveBeenCalled();
    await held.release();
  });

  it('serialises concurrent routines on one resource', async () => {
    const lock = new LocalLock();
    const record: string[] = [];
    const routine = (name: string) => withLock(lock, 'r', LONG, async () => {
      record.push(`enter ${name}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
      record.push(`leave ${name}`);
      return name;
    });
    const sut = await Promise.all([routine('a'), routine('b'), routine('c')]);
    expect(sut).toEqual(['a', 'b', 'c']);
    expect(record).toHaveLength(6);
    for (let i = 0; i < record.length; i += 2) expect(record[i + 1]).toBe(record[i].replace('enter', 'leave'));
  });
});
