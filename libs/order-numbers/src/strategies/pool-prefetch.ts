/** What one batch pop from the shared pool brought. */
export type BatchPop = { outcome: 'ok'; values: string[] } | { outcome: 'empty' } | { outcome: 'new-run' };

export interface PrefetchSettings {
  /** Numbers taken from the shared pool per round trip (`LPOP key count`). */
  batch: number;
  /** A refill starts in the background when fewer than this many are left in a line's buffer. */
  refillBelow: number;
}

/** What `take` found when its line's buffer had nothing to give before the deadline. */
export type TakeOutcome =
  | { outcome: 'ok'; value: string; waits: number }
  | { outcome: 'empty' | 'new-run' | 'deadline'; waits: number }
  | { outcome: 'failed'; error: unknown; waits: number };

type RefillResult = Exclude<BatchPop, { outcome: 'ok' }> | { outcome: 'ok' } | { outcome: 'failed'; error: unknown };

interface Line {
  numbers: string[];
  refill?: Promise<RefillResult>;
}

/**
 * A replica's local buffer of pre-generated numbers per business line (Leaf's double buffer, in
 * spirit): a request takes from memory, and the buffer is topped up from the shared Redis pool in
 * the background once it falls below `refillBelow`, so in steady state no request waits on Redis.
 *
 * Numbers leave the shared pool exactly once (Redis pops each element once), so no two replicas
 * buffer the same number; what a crashed replica had buffered is a gap, never a duplicate. A
 * line's buffer keeps the pool's order, so numbers sort in issue order per replica, not across
 * replicas. `discard()` drops every buffer, and a refill in flight then delivers into nothing.
 */
export class PoolPrefetch {
  private lines = new Map<number, Line>();

  constructor(
    private readonly popBatch: (businessId: number, count: number) => Promise<BatchPop>,
    private readonly settings: PrefetchSettings,
  ) {}

  /**
   * The next buffered number of `businessId`, waiting for a refill at most until the request's
   * `signal`: a refill that Redis has not answered by then leaves this request, not the buffer.
   */
  async take(businessId: number, signal: AbortSignal): Promise<TakeOutcome> {
    for (let waits = 0; ; waits += 1) {
      const value = this.takeReady(businessId);
      if (value !== undefined) return { outcome: 'ok', value, waits };
      // Looked up every time: a discard while this request waited replaced the line.
      const line = this.line(businessId);
      const result = await beforeAbort(this.refill(businessId, line), signal);
      if (result === undefined) return { outcome: 'deadline', waits };
      if (result.outcome === 'failed') return { ...result, waits };
      if (result.outcome !== 'ok') return { outcome: result.outcome, waits };
    }
  }

  /** A buffered number of `businessId` without waiting, if there is one; a refill starts when the buffer runs low. */
  takeReady(businessId: number): string | undefined {
    const line = this.line(businessId);
    const value = line.numbers.shift();
    if (line.numbers.length < this.settings.refillBelow) void this.refill(businessId, line);
    return value;
  }

  /** Drops every buffered number (a strategy switch): they are older than what other strategies issue next. */
  discard(): void {
    this.lines = new Map();
  }

  /** Numbers buffered for `businessId` now (for tests and metrics). */
  buffered(businessId: number): number {
    return this.lines.get(businessId)?.numbers.length ?? 0;
  }

  private line(businessId: number): Line {
    let line = this.lines.get(businessId);
    if (!line) {
      line = { numbers: [] };
      this.lines.set(businessId, line);
    }
    return line;
  }

  /** The refill in flight for `line`, or a new one: one per line at a time. Never rejects. */
  private refill(businessId: number, line: Line): Promise<RefillResult> {
    line.refill ??= this.popBatch(businessId, this.settings.batch).then(
      (popped): RefillResult => {
        line.refill = undefined;
        if (popped.outcome !== 'ok') return popped;
        // Into this line object even if it was discarded meanwhile: then nobody reads them (gaps).
        line.numbers.push(...popped.values);
        return { outcome: 'ok' };
      },
      (error: unknown): RefillResult => {
        line.refill = undefined;
        return { outcome: 'failed', error };
      },
    );
    return line.refill;
  }
}

/** `work`'s result, or undefined once `signal` is aborted first; the listener never outlives the race. */
async function beforeAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return undefined;
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<undefined>((resolve) => (onAbort = () => resolve(undefined)));
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
