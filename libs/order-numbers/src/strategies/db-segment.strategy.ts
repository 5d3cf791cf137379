import { abortable } from '@app/locks';
import { LogSink } from '@app/zookeeper';
import { Clock } from '../clock';
import { EpochSupersededError, StaleTokenError, StrategyUnavailableError } from '../errors';
import { SegmentBuffer } from '../ledger/segment-buffer';
import { orderNumberAt, positionMs, positionOf, Segment, SegmentLedger } from '../ledger/segment-ledger';
import { SequenceLedger } from '../ledger/sequence-ledger';
import { FORMAT_NUMBERS_PER_MS, SegmentStep, SegmentStepBounds } from '../ledger/segment-step';
import { HandoverReads } from './handover-reads';
import { IssueContext, IssuedNumber, OrderNumberStrategy } from './order-number-strategy';

export interface DbSegmentOptions {
  step?: SegmentStepBounds;
  prefetchAt?: number;
  maxAgeMs?: number;
  logger?: LogSink;
}

/**
 * Grows to a millisecond's worth of numbers when a segment lasts under a second and shrinks back
 * when one lasts four: at bench rates a replica takes a segment every second or so, far below
 * what the database commits, and an idle line's numbers stay at most `maxAgeMs` old.
 */
const DEFAULT_STEP: SegmentStepBounds = { min: 100, max: FORMAT_NUMBERS_PER_MS, targetMs: 1000 };
const DEFAULT_MAX_AGE_MS = 10_000;
/** Leaf prefetches at 10% used, Tinyid at 20%. */
const DEFAULT_PREFETCH_AT = 0.1;

/**
 * `db-segment` (Leaf's segment mode, Tinyid's): the ledger lives in MariaDB and a replica takes a
 * segment of positions of one business line in one short statement, then issues them from memory
 * with no lock, prefetching the next segment in the background (double buffer). A position is a
 * millisecond and a sequence, so every number carries the time its segment was allocated (as a
 * `redis-pregen` number carries the time it was generated). Numbers left in a dead replica's
 * segment, or in buffers discarded at a strategy switch, are gaps, never duplicates: the ledger
 * only moves up. While MariaDB is down the buffers are served until they run out; then 503.
 *
 * A third number family in a switch (DESIGN §2): under each new epoch it drops its buffers and
 * starts above the business line's Redis ledger mark and the snowflake workers' bound, both read
 * fenced by that epoch; and before it uses a segment it raises `segment-bound` in Redis to the
 * segment's end, fenced by the epoch, which the other families read at their switch. A segment
 * whose raise is refused (a newer epoch already read the bound) is never used: a gap.
 */
export class DbSegmentStrategy implements OrderNumberStrategy {
  readonly name = 'db-segment' as const;
  private readonly lines = new Map<number, SegmentBuffer>();
  /** No segment starts at or below this (set at a switch from another number family). */
  private floor = -1n;
  /** The newest epoch this replica issued under; segments are raised in Redis under it. */
  private epoch = 0;
  /** Per epoch and business line, the other families read and this line started above them (once each). */
  private readonly handovers = new HandoverReads((epoch, businessId) => this.handOver(businessId, epoch));

  constructor(
    private readonly ledger: SegmentLedger,
    private readonly redisLedger: SequenceLedger,
    private readonly clock: Clock,
    private readonly options: DbSegmentOptions = {},
  ) {}

  async next(businessId: number, context: IssueContext): Promise<IssuedNumber> {
    const { epoch } = context; // `context.signal` only where this waits: it may be made on first use
    const tooLate = (what: string) => () => new StrategyUnavailableError(this.name, `${what} before the request's deadline`);
    if (epoch > this.epoch) {
      this.epoch = epoch;
      this.discardBuffered(); // allocated under an older epoch: older than what was issued since
    }
    // In steady state the hand-over is read and the segment in memory: no await, no listener.
    if (!this.handovers.known(epoch, businessId)) {
      await abortable(this.handovers.get(epoch, businessId), context.signal, tooLate('the other number families were not read'));
    }
    const line = this.line(businessId);
    const ready = line.takeReady();
    if (ready !== undefined) return { orderNumber: orderNumberAt(ready, businessId), retries: 0 };
    let position: bigint;
    try {
      position = await abortable(line.take(), context.signal, tooLate('no segment'));
    } catch (error) {
      if (error instanceof StrategyUnavailableError || error instanceof EpochSupersededError) throw error;
      throw new StrategyUnavailableError(
        this.name,
        `no segment left for business line ${businessId} and none could be allocated: ${(error as Error).message}`,
        { cause: error },
      );
    }
    return { orderNumber: orderNumberAt(position, businessId), retries: 0 };
  }

  /**
   * A switch from another number family: forget every buffer, and start every later segment
   * above `floor` (a position: the other family's last millisecond, sequence 9999).
   */
  startAbove(floor: bigint): void {
    if (floor > this.floor) this.floor = floor;
    for (const line of this.lines.values()) line.discard();
  }

  /** Buffered numbers are older than what another family issued in between: every new epoch drops them. */
  discardBuffered(): void {
    for (const line of this.lines.values()) line.discard();
  }

  /** The end of the highest segment any replica took: another family takes over above it. */
  highestAllocatedEnd(): Promise<bigint | null> {
    return this.ledger.highestEnd();
  }

  /** Segments taken and the current step, per business line (metrics). */
  stats(): Array<{ businessId: number; allocations: number; step: number }> {
    return [...this.lines].map(([businessId, line]) => ({ businessId, allocations: line.allocations, step: line.step.value }));
  }

  async close(): Promise<void> {
    // The pool belongs to the caller; the buffers' numbers become gaps.
  }

  /** Starts this line above the Redis ledger's mark and the snowflake bound, read fenced by `epoch`. */
  private async handOver(businessId: number, epoch: number): Promise<true> {
    const fence = { epoch, token: 0 };
    const [mark, snowflakeMs] = await Promise.all([this.redisLedger.read(businessId, fence), this.redisLedger.snowflakeBound(epoch)]);
    const fromLedger = mark ? positionOf(mark.ms, mark.seq) : -1n;
    const fromSnowflake = snowflakeMs > 0 ? positionOf(snowflakeMs, FORMAT_NUMBERS_PER_MS - 1) : -1n;
    this.startAbove(fromLedger > fromSnowflake ? fromLedger : fromSnowflake);
    return true;
  }

  /**
   * A segment from MariaDB, usable only once its end is raised in Redis under the current epoch.
   * Should the business line's row be missing, it is created above that bound, which every segment
   * used so far was raised into: a lost row never hands out a segment again.
   */
  private async allocate(businessId: number, size: number): Promise<Segment> {
    const epoch = this.epoch;
    const boundMs = await superseded(this.redisLedger.segmentBound(epoch));
    const usedUpTo = boundMs > 0 ? positionOf(boundMs, FORMAT_NUMBERS_PER_MS - 1) : -1n;
    const segment = await this.ledger.allocate(businessId, size, this.clock.now(), this.floor, usedUpTo);
    await superseded(this.redisLedger.raiseSegmentBound(epoch, positionMs(segment.end)));
    return segment;
  }

  private line(businessId: number): SegmentBuffer {
    let line = this.lines.get(businessId);
    if (!line) {
      line = new SegmentBuffer(
        (size) => this.allocate(businessId, size),
        new SegmentStep(this.options.step ?? DEFAULT_STEP),
        this.clock,
        {
          prefetchAt: this.options.prefetchAt ?? DEFAULT_PREFETCH_AT,
          maxAgeMs: this.options.maxAgeMs ?? DEFAULT_MAX_AGE_MS,
          onPrefetchError: (error) => this.options.logger?.warn(`segment prefetch of business line ${businessId} failed: ${error.message}`),
        },
      );
      this.lines.set(businessId, line);
    }
    return line;
  }
}

/** A refusal of the segment bound's fence: a newer epoch read it, so the request starts again under that one. */
async function superseded<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof StaleTokenError) throw new EpochSupersededError(error.position, error.highest, error.key, { cause: error });
    throw error;
  }
}
