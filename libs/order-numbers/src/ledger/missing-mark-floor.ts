import { Clock } from '../clock';
import { Mark } from './mark';

/**
 * Where a business line may start again when the ledger in Redis has lost its mark (DESIGN §3,
 * "Time"): Redis restarted empty. With the hybrid logical clock the lost mark may have been ahead
 * of this replica's clock, but every replica that stamped was within `MAX_CLOCK_SKEW_MS` of
 * ZooKeeper's time, so no number before the loss is later than (real time + skew), and this
 * replica's clock may itself be up to the skew behind. Stamping only once the local clock has
 * passed (its reading at the loss + 2 × skew) therefore never meets a lost number.
 *
 * A loss is seen by a replica that read or wrote the line's mark before and now reads none. A
 * replica that never saw the line cannot tell a lost mark from a new line and starts at once:
 * durable Redis settings (`appendfsync always`) are what keep the mark across a crash.
 */
export class MissingMarkFloor {
  private readonly seen = new Set<number>();
  private readonly floors = new Map<number, number>();

  constructor(
    private readonly clock: Clock,
    private readonly maxClockSkewMs: () => number,
  ) {}

  /** How long to wait before stamping after reading `ledgerMark` (0: go). */
  waitMs(businessId: number, ledgerMark: Mark | null): number {
    if (ledgerMark !== null || !this.seen.has(businessId)) {
      this.floors.delete(businessId);
      if (ledgerMark !== null) this.seen.add(businessId);
      return 0;
    }
    const now = this.clock.now();
    let floor = this.floors.get(businessId);
    if (floor === undefined) {
      floor = now + 2 * this.maxClockSkewMs();
      this.floors.set(businessId, floor);
    }
    return Math.max(0, floor - now + 1);
  }

  /** A mark was written: the ledger holds one again, and a later missing mark is a new loss. */
  written(businessId: number): void {
    this.seen.add(businessId);
    this.floors.delete(businessId);
  }
}
