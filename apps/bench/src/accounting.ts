/**
 * Every request the bench sent must come back as an order or as a counted error; a request that
 * vanished (a connection the server closed mid-request, a response autocannon never reported)
 * would silently shrink the duplicate count, so the bench checks the sum instead of trusting it.
 */
export interface Accounting {
  requestsSent: number;
  successes: number;
  errors: number;
  /** requestsSent - successes - errors: 0 when every request is accounted for. */
  unaccounted: number;
  ok: boolean;
}

export function sumCounts(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

export function checkAccounting(
  requestsSent: number,
  successes: number,
  errorsByStatus: Readonly<Record<string, number>>,
): Accounting {
  const errors = sumCounts(errorsByStatus);
  const unaccounted = requestsSent - successes - errors;
  return { requestsSent, successes, errors, unaccounted, ok: unaccounted === 0 };
}

export function describeAccounting(label: string, accounting: Accounting): string {
  const { requestsSent, successes, errors, unaccounted } = accounting;
  return accounting.ok
    ? `${label}: ${successes} ok + ${errors} errors = ${requestsSent} requests`
    : `${label}: ACCOUNTING MISMATCH: ${successes} ok + ${errors} errors != ${requestsSent} requests sent ` +
        `(${unaccounted > 0 ? `${unaccounted} unaccounted` : `${-unaccounted} too many`})`;
}
