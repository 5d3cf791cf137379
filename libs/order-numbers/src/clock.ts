/**
 * The one seam through which the strategies read the time (locked, snowflake, the pool filler).
 * It exists so that a replica's clock can be shifted for tests (`FAULT_CLOCK_OFFSET_MS`) and gated
 * by the replica's measured skew against ZooKeeper: a clock that is known to be wrong throws from
 * `now()` instead of stamping numbers with it (DESIGN §3, "Time").
 */
export interface Clock {
  now(): number;
}

/** The process's wall clock moved by `offsetMs` (0 = as is). */
export class OffsetClock implements Clock {
  constructor(private readonly offsetMs: number) {}

  now(): number {
    return Date.now() + this.offsetMs;
  }
}
