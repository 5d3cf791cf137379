import { formatOrderNumber, MAX_SUFFIX, MAX_TIMESTAMP_MS } from '../order-number';
import { decodeMark, encodeMark, Mark, nextMark } from './mark';

const T = Date.UTC(2026, 10, 25, 18, 40, 12, 345);

/** Small deterministic PRNG (mulberry32), so that a failure replays exactly. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('nextMark', () => {
  it('starts a business line at the current millisecond, sequence 0', () => {
    expect(nextMark(null, T)).toEqual({ ms: T, seq: 0 });
  });

  it('starts again at 0 in a later millisecond', () => {
    expect(nextMark({ ms: T, seq: 57 }, T + 1)).toEqual({ ms: T + 1, seq: 0 });
    expect(nextMark({ ms: T, seq: MAX_SUFFIX }, T + 5000)).toEqual({ ms: T + 5000, seq: 0 });
  });

  it('counts on in the same millisecond', () => {
    expect(nextMark({ ms: T, seq: 0 }, T)).toEqual({ ms: T, seq: 1 });
    expect(nextMark({ ms: T, seq: 9998 }, T)).toEqual({ ms: T, seq: 9999 });
  });

  it("keeps the mark's millisecond and counts on when the clock reads earlier than the mark", () => {
    expect(nextMark({ ms: T, seq: 3 }, T - 1)).toEqual({ ms: T, seq: 4 });
    expect(nextMark({ ms: T, seq: 3 }, T - 60_000)).toEqual({ ms: T, seq: 4 });
  });

  it('after 10,000 marks in one millisecond moves on to the next logical millisecond instead of waiting or wrapping', () => {
    let previous: Mark | null = null;
    const seen = new Set<string>();
    for (let i = 0; i <= MAX_SUFFIX; i += 1) {
      previous = nextMark(previous, T);
      seen.add(encodeMark(previous));
    }
    expect(previous).toEqual({ ms: T, seq: MAX_SUFFIX });
    expect(seen.size).toBe(MAX_SUFFIX + 1);

    expect(nextMark(previous, T)).toEqual({ ms: T + 1, seq: 0 });
    expect(nextMark(previous, T - 1)).toEqual({ ms: T + 1, seq: 0 });
    expect(nextMark(previous, T + 7)).toEqual({ ms: T + 7, seq: 0 });
  });

  it('past a mark 5 minutes in the future (one fast clock wrote it), issues 50,000 numbers at a standing clock without a stall or a repeat', () => {
    const future: Mark = { ms: T + 300_000, seq: MAX_SUFFIX };
    let mark = future;
    const seen = new Set<string>();
    for (let i = 0; i < 50_000; i += 1) {
      const next = nextMark(mark, T); // the real clock does not move: nothing here may wait for it
      expect(next.ms > mark.ms || (next.ms === mark.ms && next.seq > mark.seq)).toBe(true);
      seen.add(encodeMark(next));
      mark = next;
    }
    expect(seen.size).toBe(50_000);
    // Five logical milliseconds for 50,000 numbers: the logical clock runs ahead only as far as the load pushes it.
    expect(mark).toEqual({ ms: T + 300_005, seq: MAX_SUFFIX });
    // Once real time passes the logical millisecond, numbers are stamped with it again.
    expect(nextMark(mark, T + 300_010)).toEqual({ ms: T + 300_010, seq: 0 });
  });
});

describe('encodeMark / decodeMark', () => {
  it.each([
    { ms: T, seq: 0 },
    { ms: T, seq: MAX_SUFFIX },
    { ms: 0, seq: 17 },
    { ms: MAX_TIMESTAMP_MS, seq: MAX_SUFFIX },
  ])('round-trips %p', (mark) => {
    const sut = encodeMark(mark);
    expect(sut).toBe(`${mark.ms}:${mark.seq}`);
    expect(decodeMark(sut)).toEqual(mark);
  });

  it('reads a missing or empty entry as no mark', () => {
    expect(decodeMark(null)).toBeNull();
    expect(decodeMark('')).toBeNull();
  });

  it.each(['garbage', '123', ':4', '12:', '12:3:4', '-1:0', '1:-1', '1.5:0', '1:0.5', ' 1:0', '1:0 ', '1;0', 'NaN:0'])(
    'rejects %p',
    (text) => {
      expect(() => decodeMark(text)).toThrow(SyntaxError);
    },
  );

  it.each([
    ['a sequence above 9999', '1:10000'],
    ['a sequence far above 9999', `${T}:99999999999999999999`],
    ['a millisecond past 9999-12-31', `${MAX_TIMESTAMP_MS + 1}:0`],
    ['a millisecond beyond what a number holds exactly', '99999999999999999999:0'],
  ])('rejects a corrupt entry with %s, naming the mark, instead of issuing non-digit order numbers', (_label, text) => {
    expect(() => decodeMark(text)).toThrow(SyntaxError);
    expect(() => decodeMark(text)).toThrow(`ledger mark "${text}"`);
  });

  it('accepts leading zeros in the sequence, as long as it stays within 0..9999', () => {
    expect(decodeMark(`${T}:0042`)).toEqual({ ms: T, seq: 42 });
  });
});

describe('nextMark under a wandering clock', () => {
  it('produces strictly growing (ms, seq) over 30,000 calls, so no duplicate can come out', () => {
    const next = random(20261125);
    let clock = T;
    let mark: Mark | null = null;
    const seen = new Set<string>();
    let lastNumber = '';
    let produced = 0;
    let logicalSteps = 0;
    let clockBehindMark = 0;

    // Behaviours last a while, as real clocks do; one long freeze forces a logical step at least once.
    let behaviour: 'still' | 'tick' | 'back' | 'jump' = 'still';
    let remaining = 0;
    for (let call = 0; call < 30_000; call += 1) {
      if (call === 5_000) {
        behaviour = 'still';
        remaining = 10_500;
      } else if (remaining === 0) {
        const roll = next();
        behaviour = roll < 0.4 ? 'still' : roll < 0.7 ? 'tick' : roll < 0.9 ? 'back' : 'jump';
        remaining = 1 + Math.floor(next() * 400);
      }
      remaining -= 1;
      if (behaviour === 'tick' && next() < 0.5) clock += 1;
      if (behaviour === 'back') clock -= Math.floor(next() * 3);
      if (behaviour === 'jump' && next() < 0.1) clock += Math.floor(next() * 5000) - 2000;

      if (mark !== null && clock < mark.ms) clockBehindMark += 1;
      const candidate = nextMark(mark, clock);
      if (mark !== null && mark.seq === MAX_SUFFIX && clock <= mark.ms) logicalSteps += 1;
      if (mark !== null && !(candidate.ms > mark.ms || (candidate.ms === mark.ms && candidate.seq > mark.seq))) {
        throw new Error(`call ${call}: ${encodeMark(candidate)} does not follow ${encodeMark(mark)} (clock ${clock})`);
      }
      expect(candidate.seq).toBeGreaterThanOrEqual(0);
      expect(candidate.seq).toBeLessThanOrEqual(MAX_SUFFIX);
      // The order numbers themselves grow too (DESIGN §1: one business ID sorts in issue order).
      const number = formatOrderNumber(candidate.ms, 1001, candidate.seq);
      if (number <= lastNumber) throw new Error(`call ${call}: ${number} does not sort after ${lastNumber}`);
      lastNumber = number;
      seen.add(encodeMark(candidate));
      produced += 1;
      mark = candidate;
    }

    expect(seen.size).toBe(produced);
    // The run really exercised what it claims to.
    expect(produced).toBe(30_000); // the hybrid logical clock never refuses or waits
    expect(logicalSteps).toBeGreaterThan(0);
    expect(clockBehindMark).toBeGreaterThan(100);
  });
});
