export interface AcquireOptions {
  /** Give up waiting after this long (`LockTimeoutError`). */
  waitMs: number;
  /** How long the lease may outlive a silent holder; used by locks that expire (Redis). */
  ttlMs: number;
}

/**
 * What a holder gets. `token` grows with every acquisition of the resource (the fencing token of
 * DESIGN §3; undefined for guards that cannot offer one), and `lost` is aborted as soon as the
 * lock knows that exclusivity may be gone (TTL passed, ZooKeeper session suspended or expired).
 */
export interface Lease {
  readonly resource: string;
  readonly token: number | undefined;
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

/**
 * The seam every guard of the locked strategies implements, so that the critical section is
 * identical and the comparison isolates the lock. One instance guards many resources
 * (one resource per business line), which never wait for each other.
 */
export interface DistributedLock {
  /** A short name for metrics and messages (`zookeeper`, `redis`, ...). */
  readonly kind: string;
  acquire(resource: string, options: AcquireOptions): Promise<Lease>;
  /** Counters for the bench: acquisitions and the watch notifications they needed. */
  readonly stats: LockStats;
  close(): Promise<void>;
}

export class LockStats {
  acquisitions = 0;
  watchNotifications = 0;
}
