import { ClockSample } from '@app/zookeeper';

/** What a replica knows about its clock now. */
export interface SkewVerdict {
  trusted: boolean;
  /** Why the clock is not trusted (absent when it is). */
  reason?: string;
  /** Local minus ZooKeeper's time, in ms, corrected for any step of the local clock since the sample. */
  offsetMs?: number;
  uncertaintyMs?: number;
  maxClockSkewMs: number;
}

interface Taken extends ClockSample {
  /** Wall clock minus monotonic clock when the sample was taken: a later difference means the wall clock stepped. */
  wallMinusMonotonic: number;
}

/**
 * The offset of the local clock from ZooKeeper's, from the last few probes: the one with the
 * shortest round trip is the most exact (as NTP's clock filter chooses). Between probes the local
 * clock is followed against the monotonic clock, which nobody can step, so a clock that jumps is
 * refused at once rather than at the next probe, and even while ZooKeeper cannot be reached.
 */
export class SkewEstimate {
  private samples: Taken[] = [];

  constructor(
    private readonly maxClockSkewMs: number,
    private readonly keep = 5,
  ) {}

  add(sample: ClockSample, wallMs: number, monotonicMs: number): void {
    this.samples = [...this.samples, { ...sample, wallMinusMonotonic: wallMs - monotonicMs }].slice(-this.keep);
  }

  verdict(wallMs: number, monotonicMs: number): SkewVerdict {
    const maxClockSkewMs = this.maxClockSkewMs;
    if (this.samples.length === 0) return { trusted: false, reason: "clock not yet measured against ZooKeeper's time", maxClockSkewMs };
    const best = this.samples.reduce((a, b) => (b.uncertaintyMs < a.uncertaintyMs ? b : a));
    const offsetMs = Math.round(best.offsetMs + (wallMs - monotonicMs - best.wallMinusMonotonic));
    const uncertaintyMs = Math.ceil(best.uncertaintyMs);
    if (Math.abs(offsetMs) + uncertaintyMs <= maxClockSkewMs) return { trusted: true, offsetMs, uncertaintyMs, maxClockSkewMs };
    const side = offsetMs > 0 ? 'ahead of' : 'behind';
    const reason = `clock is ${Math.abs(offsetMs)} ms (± ${uncertaintyMs} ms) ${side} ZooKeeper's time, beyond MAX_CLOCK_SKEW_MS=${maxClockSkewMs}`;
    return { trusted: false, reason, offsetMs, uncertaintyMs, maxClockSkewMs };
  }
}
