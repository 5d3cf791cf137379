import { abortable, AcquireStage, DistributedLock, Lease, LockLostError, LockStats, sleep, withLock } from '@app/locks';
import { LogSink } from '@app/zookeeper';
import { Clock } from '../clock';
import { EpochSupersededError, IssueDeadlineError, MarkMovedError, MissingMarkWaitError, StaleTokenError } from '../errors';
import { FaultInjector } from '../fault-injector';
import { laterMark, nextMark, Mark } from '../ledger/mark';
import { MissingMarkFloor } from '../ledger/missing-mark-floor';
import { Fence, SequenceLedger } from '../ledger/sequence-ledger';
import { formatOrderNumber } from '../order-number';
import { StrategyName } from '@app/contracts';
import { GroupCommit, Waiter } from './group-commit';
import { IssueContext, IssuedNumber, OrderNumberStrategy } from './order-number-strategy';

export interface LockedSettings {
  fencing: boolean;
  lockTtlMs: number;
  lockWaitMs: number;
  /** Requests of one business line served by one critical section at most (group commit); 1 = one lock per order. */
  lockBatchMax: number;
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
 *
 * With `lockBatchMax` above 1 the requests of one business line that arrive while one of them
 * waits for the lock, or holds it, share the next critical section (`GroupCommit`): one ledger
 * read, k consecutive numbers, one mark write, one release, every number under the same token
 * (DESIGN §2). `none` never batches: it shows what no guard at all does.
 */
export class LockedStrategy implements OrderNumberStrategy {
  private readonly ownLast = new Map<number, Mark>();
  private readonly missingMark: MissingMarkFloor;
  /** Per epoch, the snowflake workers' reserved bound this family must start above (DESIGN §3). */
  private readonly handoverFloors = new Map<number, Promise<number>>();
  private readonly batches: GroupCommit;
  /** Per business line, where its batch under way stands: what a request queued behind it waits on. */
  private readonly batchStages = new Map<number, { acquiring: AcquireStage; holding: boolean }>();

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
    this.batches = new GroupCommit(
      (businessId, head, take) => this.issueBatch(businessId, head, take),
      () => this.settings().lockBatchMax,
      (businessId) => new IssueDeadlineError(this.name, businessId, `queued behind a batch ${this.batchWaitsOn(businessId)}`),
    );
  }

  async next(businessId: number, context: IssueContext): Promise<IssuedNumber> {
    if (this.settings().lockBatchMax > 1 && this.lock.kind !== 'none') return this.batches.join(businessId, context);
    return this.nextAlone(businessId, context);
  }

  /** One lock per order: the critical section for this request alone, started over when refused. */
  private async nextAlone(businessId: number, context: IssueContext): Promise<IssuedNumber> {
    const { lockWaitMs, lockTtlMs } = this.settings();
    const { signal } = context;
    for (let retries = 0; ; retries += 1) {
      try {
        const issued = await withLock(
          this.lock,
          `business-${businessId}`,
          { waitMs: lockWaitMs, ttlMs: lockTtlMs, signal },
          (lease) => this.criticalSection(businessId, lease, context, 1),
          this.logger,
        );
        return { orderNumber: issued.orderNumbers[0], fencingToken: issued.fencingToken, retries };
      } catch (error) {
        if (error instanceof MissingMarkWaitError) {
          const tooLate = () => new IssueDeadlineError(this.name, businessId, error.message, { cause: error });
          await abortable(sleep(error.waitMs, signal), signal, tooLate); // outside the lock
          continue;
        }
        // A newer epoch came by: this strategy may no longer be the one in force; the caller decides.
        if (error instanceof EpochSupersededError) throw error;
        if (!isRetryable(error)) throw error;
        this.noteFence(businessId, error);
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

  /**
   * One batch of the group commit (see `GroupCommit`): the lock under the head's deadline, the
   * batch taken once it is held, one critical section for all. A refused batch (stale token, lost
   * lease) goes back to the front of the queue; so does everyone whose own deadline is still ahead
   * when the head's passed mid-way. Whatever the abandoned section wrote is a gap, never a number
   * handed out twice: nobody was told it.
   */
  private async issueBatch(businessId: number, head: Waiter, take: () => Waiter[]): Promise<void> {
    const { lockWaitMs, lockTtlMs } = this.settings();
    let batch: Waiter[] = [];
    const stage = { acquiring: new AcquireStage(), holding: false };
    this.batchStages.set(businessId, stage);
    try {
      const issued = await withLock(
        this.lock,
        `business-${businessId}`,
        { waitMs: lockWaitMs, ttlMs: lockTtlMs, signal: head.context.signal, stage: stage.acquiring },
        (lease) => {
          stage.holding = true;
          batch = take();
          return batch.length === 0 ? Promise.resolve(NOTHING) : this.criticalSection(businessId, lease, head.context, batch.length);
        },
        this.logger,
      );
      batch.forEach((waiter, i) => {
        waiter.resolve({ orderNumber: issued.orderNumbers[i], fencingToken: issued.fencingToken, retries: waiter.retries });
      });
    } catch (error) {
      if (batch.length === 0) throw error; // the lock was not acquired: the head's to hear
      await this.settleRefused(businessId, head, batch, error);
    } finally {
      this.batchStages.delete(businessId);
    }
  }

  /** What the batch under way for `businessId` waits on, as a queued request is told. */
  private batchWaitsOn(businessId: number): string {
    const stage = this.batchStages.get(businessId);
    if (!stage) return 'that was settling';
    if (stage.holding) return 'holding the lock, waiting on the ledger in Redis';
    return stage.acquiring.waitingForHolder ? `waiting for the ${this.lock.kind} lock's holder` : `waiting on ${this.lock.backend} for the lock`;
  }

  private async settleRefused(businessId: number, head: Waiter, batch: Waiter[], error: unknown): Promise<void> {
    if (error instanceof MissingMarkWaitError) await sleep(error.waitMs); // outside the lock, then the batch tries again
    this.noteFence(businessId, error);
    const again = isRetryable(error) || error instanceof MissingMarkWaitError || head.context.signal.aborted;
    const retried: Waiter[] = [];
    for (const waiter of batch) {
      if (waiter.context.signal.aborted) {
        const reason = error instanceof Error ? error.message : String(error);
        waiter.reject(new IssueDeadlineError(this.name, businessId, reason, { cause: error }));
      } else if (again && !(error instanceof EpochSupersededError)) {
        waiter.retries += 1;
        retried.push(waiter);
      } else {
        waiter.reject(error);
      }
    }
    this.batches.requeue(businessId, retried);
  }

  private async criticalSection(
    businessId: number,
    lease: Lease,
    { signal, epoch }: IssueContext,
    count: number,
  ): Promise<Issued> {
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
    // k consecutive marks from one read; only the last is written.
    const orderNumbers: string[] = [];
    let mark = laterMark(previous, this.ownLast.get(businessId) ?? null);
    for (let i = 0; i < count; i += 1) {
      mark = this.computeNext(mark);
      orderNumbers.push(formatOrderNumber(mark.ms, businessId, mark.seq));
    }
    const last = mark!;
    // The injected pause sits between compute and write: the window a stale holder writes through.
    this.fault.maybePause();
    await this.ledger.write(businessId, last, fence, signal);
    this.ownLast.set(businessId, last);
    this.missingMark.written(businessId);
    return { orderNumbers, fencingToken: lease.token };
  }

  /**
   * Refused by the fence within one epoch: the lock is told the token the fence has seen. A holder
   * that was merely overtaken changes nothing (its lock's counter is past that already); a lock
   * whose counter restarted (`db-lock` after its token row was lost) continues above it.
   */
  private noteFence(businessId: number, error: unknown): void {
    if (error instanceof StaleTokenError && !(error instanceof EpochSupersededError)) {
      this.lock.tokensBelowFence?.(`business-${businessId}`, error.highest.token);
    }
  }

  /** Read once per epoch, fenced by it, so no snowflake worker of an older epoch can reserve past it afterwards. */
  private handoverFloor(businessId: number, epoch: number, signal: AbortSignal): Promise<number> {
    let floor = this.handoverFloors.get(epoch);
    if (!floor) {
      floor = this.ledger.ledgerFamilyFloor(epoch);
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

/** What an empty batch issues (everyone it would have served left at their deadline). */
const NOTHING: Issued = { orderNumbers: [], fencingToken: undefined };

/** The numbers of one critical section, all under one fencing token. */
interface Issued {
  orderNumbers: string[];
  fencingToken: number | undefined;
}

/** Refusals after which an attempt starts over: a newer holder came by, or the lease may be gone. */
function isRetryable(error: unknown): error is StaleTokenError | LockLostError | MarkMovedError {
  return error instanceof StaleTokenError || error instanceof LockLostError || error instanceof MarkMovedError;
}
