/** DESIGN §1: 17 digits of UTC time, 4 of business ID, 4 of suffix. */
export const ORDER_NUMBER_LENGTH = 25;
export const MAX_BUSINESS_ID = 9999;
export const MAX_SUFFIX = 9999;

export interface ParsedOrderNumber {
  /** Epoch milliseconds of the 17-digit timestamp. */
  timestampMs: number;
  businessId: number;
  suffix: number;
}

/**
 * The instants 17 digits can write: 0000-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z.
 * `Date.UTC` reads years 0..99 as 1900..1999, so the first is set through `setUTCFullYear`.
 */
export const MIN_TIMESTAMP_MS = new Date(0).setUTCFullYear(0, 0, 1);
export const MAX_TIMESTAMP_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function isRepresentable(ms: number): boolean {
  return Number.isInteger(ms) && ms >= MIN_TIMESTAMP_MS && ms <= MAX_TIMESTAMP_MS;
}

/** `yyyyMMddHHmmssSSS` in UTC. */
export function formatTimestamp(ms: number): string {
  // Outside 0000..9999 toISOString writes `+010000-...`, which would slice into a non-number.
  if (!isRepresentable(ms)) {
    throw new RangeError(`timestamp ${ms} is not a whole millisecond in the years 0000..9999 (${MIN_TIMESTAMP_MS}..${MAX_TIMESTAMP_MS})`);
  }
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond.second) {
    const iso = new Date(second * 1000).toISOString(); // 2026-11-25T18:40:12.000Z, always UTC
    lastSecond.digits = iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19);
    lastSecond.second = second;
  }
  const milli = ms - second * 1000;
  return lastSecond.digits + (milli < 10 ? '00' : milli < 100 ? '0' : '') + milli;
}

/** The 14 digits of the last second formatted: every order of that second starts with them (2% of a replica's CPU per order). */
const lastSecond = { second: Number.NaN, digits: '' };

export function formatOrderNumber(timestampMs: number, businessId: number, suffix: number): string {
  if (!Number.isInteger(businessId) || businessId < 0 || businessId > MAX_BUSINESS_ID) {
    throw new RangeError(`business ID ${businessId} is outside 0..${MAX_BUSINESS_ID}`);
  }
  if (!Number.isInteger(suffix) || suffix < 0 || suffix > MAX_SUFFIX) {
    throw new RangeError(`suffix ${suffix} is outside 0..${MAX_SUFFIX}`);
  }
  return formatTimestamp(timestampMs) + String(businessId).padStart(4, '0') + String(suffix).padStart(4, '0');
}

export function parseOrderNumber(orderNumber: string): ParsedOrderNumber {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{3})(\d{4})(\d{4})$/.exec(orderNumber);
  if (!match) throw new SyntaxError(`"${orderNumber}" is not a ${ORDER_NUMBER_LENGTH}-digit order number`);
  const [, year, month, day, hour, minute, second, milli, businessId, suffix] = match;
  const date = new Date(0);
  // Not Date.UTC: it would read the years 0000..0099 as 1900..1999.
  date.setUTCFullYear(+year, +month - 1, +day);
  const timestampMs = date.setUTCHours(+hour, +minute, +second, +milli);
  // Fields out of range roll over (February 30 becomes March 2); writing it back catches that.
  if (!isRepresentable(timestampMs) || formatTimestamp(timestampMs) !== orderNumber.slice(0, 17)) {
    throw new SyntaxError(`"${orderNumber}" has an impossible timestamp`);
  }
  return { timestampMs, businessId: +businessId, suffix: +suffix };
}
