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

/** `yyyyMMddHHmmssSSS` in UTC. */
export function formatTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-11-25T18:40:12.345Z, always UTC
  return iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19) + iso.slice(20, 23);
}

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
  const timestampMs = Date.UTC(+year, +month - 1, +day, +hour, +minute, +second, +milli);
  if (formatTimestamp(timestampMs) !== orderNumber.slice(0, 17)) {
    throw new SyntaxError(`"${orderNumber}" has an impossible timestamp`);
  }
  return { timestampMs, businessId: +businessId, suffix: +suffix };
}
