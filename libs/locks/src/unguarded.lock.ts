import { AcquireOptions, DistributedLock, Lease, LockStats } from './lock';

const NEVER_LOST = new AbortController().signal;

/**
 * The `none` strategy's guard: grants every request at once. It exists so that `none` runs the
 * very same critical section as the real locks, which is what makes the comparison fair.
 */
export class UnguardedLock implements DistributedLock {
  readonly kind = 'none';
  readonly backend = 'nothing';
  readonly fencing = false;
  readonly stats = new LockStats();

  async acquire(resource: string, _options: AcquireOptions): Promise<Lease> {
    this.stats.acquisitions += 1;
    return { resource, token: undefined, lost: NEVER_LOST, release: async () => undefined };
  }
}
