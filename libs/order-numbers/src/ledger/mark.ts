import { MAX_SUFFIX, MAX_TIMESTAMP_MS } from '../order-number';

/** A business line's high-water mark: the last issued millisecond and the sequence within it. */
export interface Mark {
  ms: number;
  seq: number;
}

/** The next mark, or `exhausted` when 0..9999 are used up in `previous.ms` and the clock has not passed it. */
export type NextMark = { kind: 'mark'; mark: Mark } | { kind: 'exhausted'; waitUntilAfterMs: number };

/**
 * The ledger arithmetic. A later millisecond starts again at 0; the same millisecond, or a clock
 * that reads earlier than the mark (moved backwards, or another replica's clock is ahead), keeps
 * the mark's millisecond and counts on, so numbers of one business line always grow. Past 9999
 * it never wraps into a duplicate: the caller waits for the clock to pass the mark.
 */
export function nextMark(previous: Mark | null, nowMs: number): NextMark {
  if (previous === null || nowMs > previous.ms) return { kind: 'mark', mark: { ms: nowMs, seq: 0 } };
  if (previous.seq < MAX_SUFFIX) return { kind: 'mark', mark: { ms: previous.ms, seq: previous.seq + 1 } };
  return { kind: 'exhausted', waitUntilAfterMs: previous.ms };
}

export function encodeMark(mark: Mark): string {
  return `${mark.ms}:${mark.seq}`;
}

/**
 * Reads a stored mark. A corrupt entry fails here, naming it, rather than later as an order number
 * that is not 25 digits. The millisecond has no sign: marks come from the clock, never before 1970.
 */
export function decodeMark(text: string | null): Mark | null {
  if (text === null || text === '') return null;
  const match = /^(\d+):(\d+)$/.exec(text);
  if (!match) throw new SyntaxError(`ledger mark "${text}" is not <ms>:<seq>`);
  const mark = { ms: Number(match[1]), seq: Number(match[2]) };
  if (mark.seq > MAX_SUFFIX) throw new SyntaxError(`ledger mark "${text}" has a sequence above ${MAX_SUFFIX}`);
  if (mark.ms > MAX_TIMESTAMP_MS)
    throw new SyntaxError(`ledger mark "${text}" has a millisecond after 9999-12-31 (above ${MAX_TIMESTAMP_MS})`);
  return mark;
}

/** The later of two marks (null counts as earliest). */
export function laterMark(a: Mark | null, b: Mark | null): Mark | null {
  if (a === null) return b;
  if (b === null) return a;
  return a.ms > b.ms || (a.ms === b.ms && a.seq >= b.seq) ? a : b;
}
