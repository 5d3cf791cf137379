import { MAX_SUFFIX } from '../order-number';

/** The format numbers at most this many orders of one business line per millisecond (suffix 0000–9999). */
export const FORMAT_NUMBERS_PER_MS = MAX_SUFFIX + 1;

export interface SegmentStepBounds {
  /** The smallest segment, taken when idle. */
  min: number;
  /** The largest; at most FORMAT_NUMBERS_PER_MS, so one segment spans at most two milliseconds of the format. */
  max: number;
  /** A segment that lasted less than this is doubled next time; one that lasted 4× as long is halved. */
  targetMs: number;
}

/**
 * Leaf's dynamic step: the size of the next segment, from how long the last one lasted (the time
 * between two allocations of the same business line). Short-lived segments mean load, so the step
 * doubles and the database sees fewer allocations; long-lived ones mean idle, so it halves and the
 * numbers, which carry their segment's allocation time, stay close to the time they are issued.
 */
export class SegmentStep {
  private step: number;

  constructor(readonly bounds: SegmentStepBounds) {
    const { min, max, targetMs } = bounds;
    if (!Number.isInteger(min) || min < 1 || !Number.isInteger(max) || max < min || max > FORMAT_NUMBERS_PER_MS) {
      throw new RangeError(`segment step bounds must be integers 1 <= min <= max <= ${FORMAT_NUMBERS_PER_MS}, not ${min}..${max}`);
    }
    if (!(targetMs > 0)) throw new RangeError(`segment target duration must be positive, not ${targetMs}`);
    this.step = min;
  }

  get value(): number {
    return this.step;
  }

  /** The step for the next allocation; `lastedMs` is undefined for a business line's first segment. */
  next(lastedMs: number | undefined): number {
    if (lastedMs === undefined) return this.step;
    if (lastedMs < this.bounds.targetMs) this.step = Math.min(this.bounds.max, this.step * 2);
    else if (lastedMs >= 4 * this.bounds.targetMs) this.step = Math.max(this.bounds.min, Math.floor(this.step / 2));
    return this.step;
  }
}
