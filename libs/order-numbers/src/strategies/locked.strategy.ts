import { abortable, DistributedLock, Lease, LockLostError, LockStats, sleep, withLock } from '@app/locks';
import { LogSink } from '@app/zookeeper';
import { Clock } from '../clock';
import { EpochSupersededError, IssueDeadlineError, MarkMovedError, MissingMarkWaitError, StaleTokenError } from '../errors';
import { FaultInjector } from '../fault-injector';
import { laterMark, nextMark, Mark } from '../ledger/mark';
import { MissingMarkFloor } from '../ledger/missing-mark-floor';
import { Fence, SequenceLedger } from '../ledger/sequence-ledger';
import { formatOrderNumber } from '../order-number';
import { StrategyName } from '@app/contracts';
import { IssueContext, IssuedNumber, OrderNumberStrategy } from './order-number-strategy';

export interface LockedSettings {
  fencing: boolean;
  lockTtlMs: number;
  lockWaitMs: number;
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
  /** Per epoch, the snowflake workers' reserved bound this family must start above (DESIGN §3). */
  private readonly handoverFloors = new Map<number, Promise<number>>();

  constructor(
    readonly name: StrategyName,
    private readonly lock: DistributedLock,
    private readonly ledger: SequenceLedger,
    private readonly settings: () => LockedSettings,
    private readonly fault: FaultInjector,
    private readonly clock: Clock,
    /** Hears of releases that failed in the background (the lease's expiry frees the lock anyway). */
    private readonly logger?: LogSink,
  ) {
    this.missingMark = new MissingMarkFloor(clock, () => this.settings().maxClockSkewMs);
  }

  async next(businessId: number, context: IssueContext): Promise<IssuedNumber> {
    const { lockWaitMs, lockTtlMs } = this.settings();
    const { signal } = context;
    for (let retries = 0; ; retries += 1) {
      try {
        const issued = await withLock(
          this.lock,
          `business-${businessId}`,
          { waitMs: lockWaitMs, ttlMs: lockTtlMs, signal },
          (lease) => this.criticalSection(businessId, lease, context),
          this.logger,
        );
        return { ...issued, retries };
      } catch (error) {
        if (error instanceof MissingMarkWaitError) {
          const tooLate = () => new IssueDeadlineError(this.name, businessId, error.message, { cause: error });
          await abortable(sleep(error.waitMs), signal, tooLate); // outside the lock
          continue;
        }
        // A newer epoch came by: this strategy may no longer be the one in force; the caller decides.
        if (error instanceof EpochSupersededError) throw error;
        const retryable = error instanceof StaleTokenError || error instanceof LockLostError || error instanceof MarkMovedError;
        if (!retryable) throw error;
        if (signal.aborted) throw new IssueDeadlineError(this.name, businessId, error.message, { cause: error });
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

  private async criticalSection(businessId: number, lease: Lease, { signal, epoch }: IssueContext): Promise<Omit<IssuedNumber, 'retries'>> {
    // Tokenless guards are fenced by the epoch alone, so an older epoch's write never lands late.
    const fence: Fence | undefined = this.settings().fencing ? { epoch, token: lease.token ?? 0 } : undefined;
    const floorMs = await this.handoverFloor(businessId, epoch, signal);
    const read = await this.ledger.read(businessId, fence, signal);
    // Above whatever snowflake workers may have used: the first millisecond past their bound, from sequence 0.
    const previous = laterMark(read, floorMs > 0 ? { ms: floorMs + 1, seq: -1 } : null);
    if (lease.lost.aborted) {
      const reason = lease.lost.reason instanceof Error ? lease.lost.reason.message : 'lease lost';
      throw new LockLostError(lease.resource, this.lock.kind, reason);
    }
    const wait = this.missingMark.waitMs(businessId, read);
    if (wait > 0) throw new MissingMarkWaitError(businessId, wait);
    const mark = this.computeNext(laterMark(previous, this.ownLast.get(businessId) ?? null));
    // The injected pause sits between compute and write: the window a stale holder writes through.
    this.fault.maybePause();
    await this.ledger.write(businessId, mark, fence, signal);
    this.ownLast.set(businessId, mark);
    this.missingMark.written(businessId);
    return { orderNumber: formatOrderNumber(mark.ms, businessId, mark.seq), fencingToken: lease.token };
  }

  /** Read once per epoch, fenced by it, so no snowflake worker of an older epoch can reserve past it afterwards. */
  private handoverFloor(businessId: number, epoch: number, signal: AbortSignal): Promise<number> {
    let floor = this.handoverFloors.get(epoch);
    if (!floor) {
      floor = this.ledger.snowflakeBound(epoch);
      this.handoverFloors.set(epoch, floor);
      floor.catch(() => this.handoverFloors.delete(epoch)); // read again by the next request
      if (this.handoverFloors.size > 4) this.handoverFloors.delete(Math.min(...this.handoverFloors.keys()));
    }
    return abortable(floor, signal, () => new IssueDeadlineError(this.name, businessId, 'the snowflake hand-over bound was not read in time'));
  }

  /** A hybrid logical clock: past a mark in the future it counts on logically, never waiting under the lock. */
  private computeNext(previous: Mark | null): Mark {
    return nextMark(previous, this.clock.now());
  }
}
