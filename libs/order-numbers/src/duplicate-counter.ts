/** How often numbers were handed out more than once in one run. */
export interface DuplicateCount {
  total: number;
  distinct: number;
  /** Responses whose number had been returned before in the run: n copies of a number count n-1. */
  duplicates: number;
  /** A few of the repeated numbers with their copy counts, most copies first, for the report. */
  examples: Array<{ orderNumber: string; copies: number }>;
}

const EXAMPLE_LIMIT = 5;

/** The one duplicate counter: the bench's results and the tests' uniqueness checks both use it. */
export function countDuplicates(orderNumbers: Iterable<string>): DuplicateCount {
  const copies = new Map<string, number>();
  let total = 0;
  for (const orderNumber of orderNumbers) {
    total += 1;
    copies.set(orderNumber, (copies.get(orderNumber) ?? 0) + 1);
  }
  const examples = [...copies]
    .filter(([, count]) => count > 1)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, EXAMPLE_LIMIT)
    .map(([orderNumber, count]) => ({ orderNumber, copies: count }));
  return { total, distinct: copies.size, duplicates: total - copies.size, examples };
}

/** Duplicates per order issued; 0 when nothing was issued (no order, no duplicate). */
export function duplicateRate(count: Pick<DuplicateCount, 'total' | 'duplicates'>): number {
  return count.total === 0 ? 0 : count.duplicates / count.total;
}
