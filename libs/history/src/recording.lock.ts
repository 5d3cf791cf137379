import { AsyncLocalStorage } from 'node:async_hooks';
import { AcquireOptions, DistributedLock, Lease, LockStats } from '@app/locks';
import { HistoryLease } from './history-record';
import { monotonicMs } from './monotonic-clock';

/** The leases taken for the one issue running in this async context, oldest first. */
export type LeaseTrail = HistoryLease[];

/**
 * Released leases by resource and token. A batch under the lock (group commit, DESIGN §2) is
 * acquired in one request's async context and serves several: each of them finds the lease it was
 * issued under by the token its number carries. Bounded: only recent leases can be asked for.
 */
export class LeaseBook {
  private readonly leases = new Map<string, HistoryLease>();

  add(resource: string, token: number, lease: HistoryLease): void {
    this.leases.set(`${resource}#${token}`, lease);
    if (this.leases.size > 10_000) this.leases.delete(this.leases.keys().next().value as string);
  }

  find(resource: string, token: number): HistoryLease | undefined {
    return this.leases.get(`${resource}#${token}`);
  }
}

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
    /** Every lease with a token, by `<resource>#<token>`: a batch's numbers find their lease there. */
    private readonly byToken: LeaseBook,
  ) {}

  get kind(): string {
    return this.inner.kind;
  }

  get backend(): string {
    return this.inner.backend;
  }

  get fencing(): boolean {
    return this.inner.fencing;
  }

  get stats(): LockStats {
    return this.inner.stats;
  }

  tokensBelowFence(resource: string, fenceToken: number): void {
    this.inner.tokensBelowFence?.(resource, fenceToken);
  }

  async acquire(resource: string, options: AcquireOptions): Promise<Lease> {
    const lease = await this.inner.acquire(resource, options);
    const acquiredMono = monotonicMs();
    const acquiredWall = Date.now();
    const trail = this.trail.getStore();
    return {
      ...lease,
      release: async () => {
        const held: HistoryLease = {
          kind: this.inner.kind,
          resource,
          token: lease.token ?? null,
          acquiredMono,
          acquiredWall,
          releasedMono: monotonicMs(),
          releasedWall: Date.now(),
        };
        trail?.push(held);
        if (lease.token !== undefined) this.byToken.add(resource, lease.token, held);
        await lease.release();
      },
    };
  }
}
