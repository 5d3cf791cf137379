import { LogSink } from '@app/zookeeper';
import { Clock } from '../clock';
import { StrategyUnavailableError } from '../errors';
import { SegmentBuffer } from '../ledger/segment-buffer';
import { orderNumberAt, SegmentLedger } from '../ledger/segment-ledger';
import { FORMAT_NUMBERS_PER_MS, SegmentStep, SegmentStepBounds } from '../ledger/segment-step';
import { IssuedNumber, OrderNumberStrategy } from './order-number-strategy';

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
 */
export class DbSegmentStrategy implements OrderNumberStrategy {
  readonly name = 'db-segment' as const;
  private readonly lines = new Map<number, SegmentBuffer>();
  /** No segment starts at or below this (set at a switch from another number family). */
  private floor = -1n;

  constructor(
    private readonly ledger: SegmentLedger,
    private readonly clock: Clock,
    private readonly options: DbSegmentOptions = {},
  ) {}

  async next(businessId: number): Promise<IssuedNumber> {
    let position: bigint;
    try {
      position = await this.line(businessId).take();
    } catch (error) {
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

  /** A switch away from this family: buffered numbers must not be issued later, after another family's. */
  discardBuffers(): void {
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

  private line(businessId: number): SegmentBuffer {
    let line = this.lines.get(businessId);
    if (!line) {
      line = new SegmentBuffer(
        (size) => this.ledger.allocate(businessId, size, this.clock.now(), this.floor),
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
