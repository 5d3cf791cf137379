import { AcquireStage } from './wait';

export interface AcquireOptions {
  /** Give up waiting after this long (`LockTimeoutError`). */
  waitMs: number;
  /** How long the lease may outlive a silent holder; used by locks that expire (Redis). */
  ttlMs: number;
  /** The request's deadline (DESIGN §6): waiting stops once it is aborted, whatever `waitMs` says. */
  signal?: AbortSignal;
  /** Told whether the acquisition is waiting for a holder or for its backend (see `withLock`). */
  stage?: AcquireStage;
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
 *
 * There is no `close()`: a lock owns no connection (the ZooKeeper session and the Redis client
 * are its caller's, who closes them), and every lease is given back by its holder (`withLock`
 * releases in `finally`; the Redis watchdog stops with the lease). A lease still held when its
 * session or client closes is lost with it, which `lease.lost` reports.
 */
export interface DistributedLock {
  /** A short name for metrics and messages (`zookeeper`, `redis`, ...). */
  readonly kind: string;
  /** What it waits on besides a holder, as a client is told: `ZooKeeper`, `Redis`, `this process`. */
  readonly backend: string;
  /**
   * Whether its leases carry a fencing token that grows with every acquisition. A lock without
   * one hands out `token: undefined` every time, and the ledger then runs unfenced under it.
   */
  readonly fencing: boolean;
  acquire(resource: string, options: AcquireOptions): Promise<Lease>;
  /**
   * The ledger's fence refused a lease of `resource` because it has seen `fenceToken`, a higher
   * token of the same epoch. A lock whose token counter can be lost apart from the fence (MariaDB's
   * table, the fence in Redis) hands out its next token above it, instead of being refused once
   * for every token it would count up from where it restarted.
   */
  tokensBelowFence?(resource: string, fenceToken: number): void;
  /** Counters for the bench: acquisitions and the watch notifications they needed. */
  readonly stats: LockStats;
}

export class LockStats {
  acquisitions = 0;
  watchNotifications = 0;
}
