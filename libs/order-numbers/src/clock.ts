/**
 * The one source of "now" for issuing numbers: `LockedStrategy`, `PoolFiller` and
 * `SnowflakeStrategy` read the time only through the clock they are given, deadlines included, so
 * a clock that is shifted (a fault, a test) shifts every reading of a strategy at once. It is also
 * how a replica's clock is shifted for tests (`FAULT_CLOCK_OFFSET_MS`) and gated by its measured
 * skew against ZooKeeper: a clock known to be wrong throws from `now()` instead of stamping
 * numbers with it (DESIGN §3, "Time").
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** The process's wall clock moved by `offsetMs` (0 = as is). */
export class OffsetClock implements Clock {
  constructor(private readonly offsetMs: number) {}

  now(): number {
    return Date.now() + this.offsetMs;
  }
}
