import { HistoryLease, HistoryRecord } from './history-record';

/** What the checker found; each count says how many, `examples` says which (a few of each). */
export interface HistoryCheck {
  issued: number;
  /** Numbers issued more than once, whether or not the answer reached the client: n copies count n-1. */
  issuedDuplicates: number;
  /** The same, of the copies the load client received; must equal the client's own duplicate count. */
  deliveredDuplicates: number;
  /** Leases of one lock (kind and resource) that began before an earlier one of them had ended. */
  overlaps: number;
  /** Numbers issued under one lease that were not above the one issued before them under it. */
  outOfOrder: number;
  /** Sequence values skipped inside one millisecond of one business line (wasted, not wrong). */
  gaps: number;
  /** Numbers the client received that no history records: the recording missed something. */
  deliveredUnrecorded: number;
  examples: { duplicates: string[]; overlaps: string[]; outOfOrder: string[]; deliveredUnrecorded: string[] };
}

export interface CheckOptions {
  /**
   * Whether a record's suffix is a plain sequence, where a skipped value is a gap. Snowflake's is
   * worker and sequence, full of holes by design.
   */
  sequential?: (record: HistoryRecord) => boolean;
}

const EXAMPLES = 5;
const SUFFIX_DIGITS = 4;

/**
 * The Jepsen-style checker: works from the replicas' histories alone (and, for the delivered
 * count, the multiset of numbers the client received), never from the replicas' own verdicts.
 */
export function checkHistory(records: readonly HistoryRecord[], delivered: Iterable<string>, options: CheckOptions = {}): HistoryCheck {
  const issuedCount = countBy(records.map((record) => record.orderNumber));
  const receivedCount = countBy(delivered);
  const duplicates = [...issuedCount].filter(([, count]) => count > 1);
  let deliveredDuplicates = 0;
  const deliveredUnrecorded: string[] = [];
  for (const [orderNumber, received] of receivedCount) {
    const issued = issuedCount.get(orderNumber) ?? 0;
    if (issued === 0) deliveredUnrecorded.push(orderNumber);
    // A copy the client holds is a copy that was issued: the smaller count is what was delivered.
    deliveredDuplicates += Math.max(0, Math.min(issued, received) - 1);
  }
  const overlaps = findOverlaps(records);
  const outOfOrder = findOutOfOrder(records);
  return {
    issued: records.length,
    issuedDuplicates: duplicates.reduce((sum, [, count]) => sum + count - 1, 0),
    deliveredDuplicates,
    overlaps: overlaps.length,
    outOfOrder: outOfOrder.length,
    gaps: countGaps(records.filter(options.sequential ?? (() => true))),
    deliveredUnrecorded: deliveredUnrecorded.length,
    examples: {
      duplicates: duplicates.slice(0, EXAMPLES).map(([orderNumber, count]) => `${orderNumber} ×${count}`),
      overlaps: overlaps.slice(0, EXAMPLES),
      outOfOrder: outOfOrder.slice(0, EXAMPLES),
      deliveredUnrecorded: deliveredUnrecorded.slice(0, EXAMPLES),
    },
  };
}

function countBy(values: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

interface HeldLease extends HistoryLease {
  holder: string;
}

/** One lease is one acquisition by one process, however many numbers were issued under it. */
function leaseKey(record: HistoryRecord, lease: HistoryLease): string {
  return `${record.replica}|${record.pid}|${lease.kind}|${lease.resource}|${lease.token}|${lease.acquiredMono}`;
}

/**
 * A sweep per lock in order of acquisition: a lease that begins before the latest end seen so
 * far overlaps an earlier holder's. Each such lease counts once, however many it overlaps.
 */
function findOverlaps(records: readonly HistoryRecord[]): string[] {
  const byLock = new Map<string, Map<string, HeldLease>>();
  for (const record of records) {
    if (!record.lease) continue;
    const lock = `${record.lease.kind}|${record.lease.resource}`;
    const leases = byLock.get(lock) ?? new Map<string, HeldLease>();
    leases.set(leaseKey(record, record.lease), { ...record.lease, holder: `${record.replica}/${record.pid}` });
    byLock.set(lock, leases);
  }
  const found: string[] = [];
  for (const leases of byLock.values()) {
    const sorted = [...leases.values()].sort((a, b) => a.acquiredMono - b.acquiredMono);
    let latest: HeldLease | undefined;
    for (const lease of sorted) {
      if (latest && lease.acquiredMono < latest.releasedMono) {
        found.push(
          `${lease.kind} ${lease.resource}: ${lease.holder} (token ${lease.token}) acquired ` +
            `${(latest.releasedMono - lease.acquiredMono).toFixed(1)} ms before ${latest.holder} (token ${latest.token}) released`,
        );
      }
      if (!latest || lease.releasedMono > latest.releasedMono) latest = lease;
    }
  }
  return found;
}

function findOutOfOrder(records: readonly HistoryRecord[]): string[] {
  const byLease = new Map<string, HistoryRecord[]>();
  for (const record of records) {
    if (!record.lease) continue;
    const key = leaseKey(record, record.lease);
    byLease.set(key, [...(byLease.get(key) ?? []), record]);
  }
  const found: string[] = [];
  for (const issued of byLease.values()) {
    issued.sort((a, b) => a.issuedMono - b.issuedMono);
    for (let i = 1; i < issued.length; i += 1) {
      // Same length, all digits: text order is numeric order.
      if (issued[i].orderNumber <= issued[i - 1].orderNumber) {
        found.push(`${issued[i].replica}: ${issued[i].orderNumber} after ${issued[i - 1].orderNumber} under one lease`);
      }
    }
  }
  return found;
}

/** Per business line and millisecond: the sequence values below the highest that nobody issued. */
function countGaps(records: readonly HistoryRecord[]): number {
  const seqsByMs = new Map<string, Set<number>>();
  for (const { orderNumber } of records) {
    const prefix = orderNumber.slice(0, -SUFFIX_DIGITS);
    const seqs = seqsByMs.get(prefix) ?? new Set<number>();
    seqs.add(Number(orderNumber.slice(-SUFFIX_DIGITS)));
    seqsByMs.set(prefix, seqs);
  }
  let gaps = 0;
  for (const seqs of seqsByMs.values()) gaps += Math.max(...seqs) + 1 - seqs.size;
  return gaps;
}
