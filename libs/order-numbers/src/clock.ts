/**
 * The one source of "now" for issuing numbers: `LockedStrategy`, `PoolFiller` and
 * `SnowflakeStrategy` read the time only through the clock they are given, deadlines included, so
 * a clock that is shifted (a fault, a test) shifts every reading of a strategy at once.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
