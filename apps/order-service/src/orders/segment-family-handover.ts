import { Logger } from '@nestjs/common';
import { Clock, DbSegmentStrategy, laterMark, Mark, positionMs, positionOf, SequenceLedger } from '@app/order-numbers';

/**
 * `db-segment`'s part of a switch between number families, fitted to StrategyRegistry's time guard
 * (every replica waits FAMILY_SWITCH_GUARD_MS after hearing of the switch). The guard alone assumes
 * that no family has issued past the clock; the two ledgers can (a hybrid logical clock past
 * 10,000 numbers per millisecond, a skewed replica), so the handover also looks at their marks:
 *
 * - into `db-segment`: its buffers are dropped (numbers allocated before an earlier switch away
 *   carry that old time) and no later segment starts at or below the Redis ledger's highest mark;
 * - away from `db-segment`: its buffers are dropped, and the wait lasts until the clock has passed
 *   the highest segment end any replica allocated, so the next family stamps later milliseconds.
 *
 * The snowflake family keeps no mark to read here; its numbers stay within MAX_CLOCK_SKEW_MS of
 * the clock, which the guard covers only as far as its 500 ms go (as for ledger ↔ snowflake today).
 */
export class SegmentFamilyHandover {
  private readonly logger = new Logger(SegmentFamilyHandover.name);

  constructor(
    private readonly redisLedger: SequenceLedger,
    private readonly businessLines: readonly number[],
    private readonly clock: Clock,
  ) {}

  /** A switch into `db-segment`: resolves once its next segments are bound above the Redis ledger. */
  async into(segment: DbSegmentStrategy): Promise<void> {
    segment.discardBuffers();
    let highest: Mark | null = null;
    for (const businessId of this.businessLines) highest = laterMark(highest, await this.redisLedger.read(businessId));
    if (highest !== null) segment.startAbove(positionOf(highest.ms, highest.seq));
  }

  /** A switch away from `db-segment`: how much longer than the guard to wait (ms) before the next family issues. */
  async awayFrom(segment: DbSegmentStrategy): Promise<number> {
    segment.discardBuffers();
    const end = await segment.highestAllocatedEnd();
    if (end === null) return 0;
    const wait = positionMs(end) + 1 - this.clock.now();
    if (wait > 0) this.logger.log(`the segment ledger is ${wait} ms ahead of the clock: the next family waits for it`);
    return Math.max(0, wait);
  }
}
