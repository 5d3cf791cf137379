import { AsyncLocalStorage } from 'node:async_hooks';
import { AcquireOptions, DistributedLock, Lease, LockStats } from '@app/locks';
import { HistoryLease } from './history-record';
import { monotonicMs } from './monotonic-clock';

/** The leases taken for the one issue running in this async context, oldest first. */
export type LeaseTrail = HistoryLease[];

/**
 * A lock that records each lease it hands out into the async context's trail, so the history
 * knows what its holder believed it held and when. The times are taken on the holder's side of
 * each round trip (acquired once the lock answered, released before asking to release), so a
 * correct lock never shows as overlapping itself.
 */
export class RecordingLock implements DistributedLock {
  constructor(
    private readonly inner: DistributedLock,
    private readonly trail: AsyncLocalStorage<LeaseTrail>,
  ) {}

  get kind(): string {
    return this.inner.kind;
  }

  get fencing(): boolean {
    return this.inner.fencing;
  }

  get stats(): LockStats {
    return this.inner.stats;
  }

  async acquire(resource: string, options: AcquireOptions): Promise<Lease> {
    const lease = await this.inner.acquire(resource, options);
    const acquiredMono = monotonicMs();
    const acquiredWall = Date.now();
    const trail = this.trail.getStore();
    return {
      ...lease,
      release: async () => {
        trail?.push({
          kind: this.inner.kind,
          resource,
          token: lease.token ?? null,
          acquiredMono,
          acquiredWall,
          releasedMono: monotonicMs(),
          releasedWall: Date.now(),
        });
        await lease.release();
      },
    };
  }
}
