import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  formatOrderNumber,
  formatTimestamp,
  MAX_TIMESTAMP_MS,
  MIN_TIMESTAMP_MS,
  ORDER_NUMBER_LENGTH,
  parseOrderNumber,
} from './order-number';

// 2026-11-25T18:40:12.345Z, written out so that the expectation does not reuse the code's own Date arithmetic.
const NOV_25_2026 = 1795632012345;
// 2024-02-29T23:59:59.999Z: a leap day, one millisecond before every field rolls over.
const LEAP_DAY_END = 1709251199999;
// 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z, the ends of the 4-digit years, written out.
const YEAR_0000_START = -62167219200000;
const YEAR_9999_END = 253402300799999;
// 0050-01-01T00:00:00.000Z: Date.UTC(50, ...) would read the year as 1950.
const YEAR_0050_START = -60589296000000;

/**
 * Formats in a separate Node process started with `TZ=zone`: the zone is fixed when a process
 * starts, and this machine may well run in UTC, where local-time code would go unnoticed.
 */
function formatInTimeZone(zone: string, instants: number[]): { localHours: number[]; numbers: string[] } {
  const script = `
    const { formatOrderNumber } = require(${JSON.stringify(join(__dirname, 'order-number.ts'))});
    const instants = ${JSON.stringify(instants)};
    console.log(JSON.stringify({
      localHours: instants.map((ms) => new Date(ms).getHours()),
      numbers: instants.map((ms) => formatOrderNumber(ms, 1001, 0)),
    }));`;
  const output = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { env: { ...process.env, TZ: zone }, encoding: 'utf8' });
  return JSON.parse(output);
}

describe('formatOrderNumber', () => {
  it('is 25 digits: 17 of UTC timestamp, 4 of business ID, 4 of suffix', () => {
    const sut = formatOrderNumber(NOV_25_2026, 1001, 42);
    expect(sut).toBe('20261125184012345' + '1001' + '0042');
    expect(sut).toHaveLength(ORDER_NUMBER_LENGTH);
    expect(sut).toMatch(/^\d{25}$/);
  });

  it.each(['Asia/Kathmandu', 'America/Los_Angeles', 'Pacific/Kiritimati'])('writes UTC, not local time, under TZ=%s', (zone) => {
    const sut = formatInTimeZone(zone, [NOV_25_2026, LEAP_DAY_END]);
    // Guards the guard: the zone really was in effect, so a local-time formatter would differ.
    expect(sut.localHours[0]).not.toBe(18);
    expect(sut.localHours[1]).not.toBe(23);
    expect(sut.numbers).toEqual(['2026112518401234510010000', '2024022923595999910010000']);
  });

  it('keeps the leading zeros of the timestamp fields', () => {
    expect(formatTimestamp(Date.UTC(2027, 0, 2, 3, 4, 5, 6))).toBe('20270102030405006');
    expect(formatTimestamp(0)).toBe('19700101000000000');
  });

  it('writes every millisecond as the ISO date does, within a second, across seconds and before 1970', () => {
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\D/g, '').slice(0, 17);
    const base = Date.UTC(2026, 11, 3, 23, 59, 58, 990);
    const instants = [...Array.from({ length: 2100 }, (_, i) => base + i), -1, -999, -1000, -1001, MIN_TIMESTAMP_MS, MAX_TIMESTAMP_MS];
    for (let i = 0; i < 2000; i += 1) instants.push(Math.floor(MIN_TIMESTAMP_MS + Math.random() * (MAX_TIMESTAMP_MS - MIN_TIMESTAMP_MS)));
    for (const ms of instants) expect([ms, formatTimestamp(ms)]).toEqual([ms, iso(ms)]);
    expect(formatTimestamp(-1)).toBe('19691231235959999');
    expect(formatTimestamp(MIN_TIMESTAMP_MS)).toBe('00000101000000000');
  });

  it.each([
    [0, 0, '00000000'],
    [7, 3, '00070003'],
    [42, 99, '00420099'],
    [999, 100, '09990100'],
    [1, 1000, '00011000'],
    [9999, 9999, '99999999'],
  ])('zero-pads business ID %i and suffix %i', (businessId, suffix, tail) => {
    expect(formatOrderNumber(NOV_25_2026, businessId, suffix).slice(17)).toBe(tail);
  });

  it.each([-1, 10000, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects business ID %p', (businessId) => {
    expect(() => formatOrderNumber(NOV_25_2026, businessId, 0)).toThrow(RangeError);
    expect(() => formatOrderNumber(NOV_25_2026, businessId, 0)).toThrow(/business ID/);
  });

  it('writes the first and last instants of the 4-digit years', () => {
    expect(MIN_TIMESTAMP_MS).toBe(YEAR_0000_START);
    expect(MAX_TIMESTAMP_MS).toBe(YEAR_9999_END);
    expect(formatOrderNumber(YEAR_0000_START, 1, 1)).toBe('00000101000000000' + '00010001');
    expect(formatOrderNumber(YEAR_0050_START, 1, 1)).toBe('00500101000000000' + '00010001');
    expect(formatOrderNumber(YEAR_9999_END, 1, 1)).toBe('99991231235959999' + '00010001');
  });

  it.each([
    ['year 10000', YEAR_9999_END + 1],
    ['far future', 8.64e15],
    ['year -1', YEAR_0000_START - 1],
    ['a fraction of a millisecond', NOV_25_2026 + 0.5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('rejects a timestamp in %s with a RangeError naming it, not a 25-character non-number', (_label, timestampMs) => {
    expect(() => formatOrderNumber(timestampMs, 1, 1)).toThrow(RangeError);
    expect(() => formatOrderNumber(timestampMs, 1, 1)).toThrow(`timestamp ${timestampMs}`);
  });

  it.each([-1, 10000, 0.5, Number.NaN])('rejects suffix %p', (suffix) => {
    expect(() => formatOrderNumber(NOV_25_2026, 1001, suffix)).toThrow(RangeError);
    expect(() => formatOrderNumber(NOV_25_2026, 1001, suffix)).toThrow(/suffix/);
  });
});

describe('parseOrderNumber', () => {
  it('reads back the parts', () => {
    const sut = parseOrderNumber('2026112518401234510010042');
    expect(sut).toEqual({ timestampMs: NOV_25_2026, businessId: 1001, suffix: 42 });
  });

  it('round-trips format over instants, business IDs and suffixes', () => {
    const instants = [
      0,
      NOV_25_2026,
      LEAP_DAY_END,
      LEAP_DAY_END + 1,
      Date.UTC(1999, 11, 31, 23, 59, 59, 999),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
    ];
    for (const timestampMs of instants) {
      for (const [businessId, suffix] of [[0, 0], [1, 9999], [1001, 7], [9999, 0], [4001, 1234]]) {
        const sut = parseOrderNumber(formatOrderNumber(timestampMs, businessId, suffix));
        expect(sut).toEqual({ timestampMs, businessId, suffix });
      }
    }
  });

  it.each([
    ['24 digits', '202611251840123451001004'],
    ['26 digits', '20261125184012345100100420'],
    ['empty', ''],
    ['a letter', '2026112518401234510010O42'],
    ['a sign', '+026112518401234510010042'],
    ['spaces', ' 2026112518401234510010042'],
    ['a trailing newline', '2026112518401234510010042\n'],
  ])('rejects %s', (_label, text) => {
    expect(() => parseOrderNumber(text)).toThrow(SyntaxError);
  });

  it.each([
    ['month 13', '20261325184012345' + '10010042'],
    ['month 00', '20260025184012345' + '10010042'],
    ['day 00', '20261100184012345' + '10010042'],
    ['February 30', '20260230120000000' + '10010042'],
    ['February 29 of a common year', '20260229120000000' + '10010042'],
    ['April 31', '20260431120000000' + '10010042'],
    ['hour 24', '20261125240000000' + '10010042'],
    ['minute 60', '20261125186000000' + '10010042'],
    ['second 60', '20261125184060000' + '10010042'],
  ])('rejects an impossible date: %s', (_label, text) => {
    expect(() => parseOrderNumber(text)).toThrow(/impossible timestamp/);
  });

  it.each([
    ['0000', YEAR_0000_START],
    ['0050', YEAR_0050_START],
    ['9999', YEAR_9999_END],
  ])('reads year %s exactly as format wrote it, not as 19xx', (_year, timestampMs) => {
    const text = formatOrderNumber(timestampMs, 1, 1);
    expect(parseOrderNumber(text)).toEqual({ timestampMs, businessId: 1, suffix: 1 });
  });

  it('is the exact inverse of format in every year 0000..9999', () => {
    // One instant per year, at a different day and time of day each, so every year's calendar is used.
    for (let year = 0; year <= 9999; year += 1) {
      const timestampMs = MIN_TIMESTAMP_MS + Math.floor(((year + 0.37) / 10000) * (MAX_TIMESTAMP_MS - MIN_TIMESTAMP_MS));
      const text = formatOrderNumber(timestampMs, 4001, year);
      expect(parseOrderNumber(text).timestampMs).toBe(timestampMs);
    }
    expect(parseOrderNumber('00500101000000000' + '00010001').timestampMs).toBe(YEAR_0050_START);
  });

  it('rejects a date that rolls past 9999-12-31 as impossible, not as a range error', () => {
    expect(() => parseOrderNumber('99991232000000000' + '10010042')).toThrow(/impossible timestamp/);
  });

  it('accepts February 29 of a leap year', () => {
    expect(parseOrderNumber('20240229120000000' + '10010042').timestampMs).toBe(Date.UTC(2024, 1, 29, 12));
  });
});

describe('order of the numbers of one business ID', () => {
  it('sorts lexically exactly as (ms, seq) sorts', () => {
    // Instants across every field rollover and suffixes across every digit count.
    const instants = [
      LEAP_DAY_END - 1000, LEAP_DAY_END - 1, LEAP_DAY_END, LEAP_DAY_END + 1,
      Date.UTC(2024, 11, 31, 23, 59, 59, 999), Date.UTC(2025, 0, 1), Date.UTC(2025, 0, 1, 0, 0, 0, 9), Date.UTC(2025, 0, 1, 0, 0, 0, 10),
      Date.UTC(2025, 8, 30, 9, 59, 59, 999), Date.UTC(2025, 9, 1, 10),
    ];
    const suffixes = [0, 1, 9, 10, 99, 100, 999, 1000, 9998, 9999];
    const issued = instants.flatMap((ms) => suffixes.map((seq) => ({ ms, seq, text: formatOrderNumber(ms, 2001, seq) })));
    const byMsSeq = [...issued].sort((a, b) => a.ms - b.ms || a.seq - b.seq).map((entry) => entry.text);
    const lexical = [...issued].reverse().map((entry) => entry.text).sort();
    expect(lexical).toEqual(byMsSeq);
    expect(new Set(lexical).size).toBe(issued.length);
  });
});
