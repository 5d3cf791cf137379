import { DistributedLock, Lease, LockLostError, LockStats, withLock } from '@app/locks';
import { Clock } from '../clock';
import { IssueDeadlineError, MissingMarkWaitError, StaleTokenError } from '../errors';
import { FaultInjector } from '../fault-injector';
import { laterMark, nextMark, Mark } from '../ledger/mark';
import { MissingMarkFloor } from '../ledger/missing-mark-floor';
import { Fence, SequenceLedger } from '../ledger/sequence-ledger';
import { formatOrderNumber } from '../order-number';
import { StrategyName } from '@app/contracts';
import { IssuedNumber, OrderNumberStrategy } from './order-number-strategy';

export interface LockedSettings {
  fencing: boolean;
  lockTtlMs: number;
  lockWaitMs: number;
  /** The whole issue, retries included, must finish within this. */
  requestTimeoutMs: number;
  /** Beyond this offset from ZooKeeper's time a replica does not stamp (DESIGN §3, "Time"). */
  maxClockSkewMs: number;
}

/**
 * `none`, `local`, `zookeeper`, `zookeeper-ephemeral` and `redis`: the same critical section
 * (read the mark, compute the next, write it back) under whichever lock it is given. A holder
 * refused by the fence, or told that its lease is lost, gives up the attempt and starts again.
 *
 * The replica also remembers the last mark it wrote itself and never computes below it: other
 * replicas' unguarded writes can move the shared mark backwards, and without this memory even one
 * replica behind its `local` mutex would hand out its own numbers twice. Under a real lock the
 * ledger is never behind it, so this changes nothing there.
 */
export class LockedStrategy implements OrderNumberStrategy {
  private readonly ownLast = new Map<number, Mark>();
  private readonly missingMark: MissingMarkFloor;

  constructor(
    readonly name: StrategyName,
    private readonly lock: DistributedLock,
    private readonly ledger: SequenceLedger,
    private readonly settings: () => LockedSettings,
    private readonly fault: FaultInjector,
    private readonly clock: Clock,
  ) {
    this.missingMark = new MissingMarkFloor(clock, () => this.settings().maxClockSkewMs);
  }

  async next(businessId: number): Promise<IssuedNumber> {
    const { requestTimeoutMs, lockWaitMs, lockTtlMs } = this.settings();
    const deadline = this.clock.now() + requestTimeoutMs;
    for (let retries = 0; ; retries += 1) {
      const waitMs = Math.min(lockWaitMs, deadline - this.clock.now());
      try {
        const issued = await withLock(this.lock, `business-${businessId}`, { waitMs, ttlMs: lockTtlMs }, (lease) =>
          this.criticalSection(businessId, lease),
        );
        return { ...issued, retries };
      } catch (error) {
        if (error instanceof MissingMarkWaitError && Date.now() + error.waitMs < deadline) {
          await new Promise((resolve) => setTimeout(resolve, error.waitMs)); // outside the lock
          continue;
        }
        const retryable = error instanceof StaleTokenError || error instanceof LockLostError;
        if (!retryable) throw error;
        if (this.clock.now() >= deadline) throw new IssueDeadlineError(this.name, businessId, error.message, { cause: error });
      }
    }
  }

  /**
   * Whether the ledger is written under fencing tokens now: asked for (`LOCK_FENCING`) and
   * possible (the lock hands out tokens; `none` and `local` do not, and run unfenced).
   */
  get fenced(): boolean {
    return this.settings().fencing && this.lock.fencing;
  }

  /** Acquisitions and watch notifications of this strategy's lock (for the bench's herd-effect column). */
  get lockStats(): LockStats {
    return this.lock.stats;
  }

  async close(): Promise<void> {
    // Nothing of its own: a lock owns no connection (see DistributedLock), the ledger's client is the caller's.
  }

  private async criticalSection(businessId: number, lease: Lease): Promise<Omit<IssuedNumber, 'retries'>> {
    const fence: Fence | undefined =
      this.settings().fencing && lease.token !== undefined ? { family: this.lock.kind, token: lease.token } : undefined;
    const previous = await this.ledger.read(businessId, fence);
    if (lease.lost.aborted) {
      const reason = lease.lost.reason instanceof Error ? lease.lost.reason.message : 'lease lost';
      throw new LockLostError(lease.resource, this.lock.kind, reason);
    }
    const wait = this.missingMark.waitMs(businessId, previous);
    if (wait > 0) throw new MissingMarkWaitError(businessId, wait);
    const mark = this.computeNext(laterMark(previous, this.ownLast.get(businessId) ?? null));
    // The injected pause sits between compute and write: the window a stale holder writes through.
    this.fault.maybePause();
    await this.ledger.write(businessId, mark, fence);
    this.ownLast.set(businessId, mark);
    this.missingMark.written(businessId);
    return { orderNumber: formatOrderNumber(mark.ms, businessId, mark.seq), fencingToken: lease.token };
  }

  /** A hybrid logical clock: past a mark in the future it counts on logically, never waiting under the lock. */
  private computeNext(previous: Mark | null): Mark {
    return nextMark(previous, this.clock.now());
  }
}
