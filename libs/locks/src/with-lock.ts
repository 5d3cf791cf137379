import { AcquireOptions, DistributedLock, Lease } from './lock';

/** Acquires, hands the lease to `routine`, and releases in `finally`, whatever `routine` did. */
export async function withLock<T>(
  lock: DistributedLock,
  resource: string,
  options: AcquireOptions,
  routine: (lease: Lease) => Promise<T>,
): Promise<T> {
  const lease = await lock.acquire(resource, options);
  try {
    return await routine(lease);
  } finally {
    await lease.release();
  }
}
