import { ClusterState, METRICS } from '@app/contracts';

/** Counters summed over every replica for one strategy; null where a replica does not export them. */
export interface LockCounters {
  acquisitions: number | null;
  watchNotifications: number | null;
}

/**
 * Sums the samples of `name` whose `strategy` label is `strategy`. A family that is exported but
 * has no sample for this strategy yet is 0 (prom-client omits label sets never incremented);
 * a family the text does not mention at all is null: the replica does not count it.
 */
export function readCounter(text: string, name: string, strategy: string): number | null {
  let known = false;
  let sum = 0;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line.startsWith('#')) {
      if (new RegExp(`^# (TYPE|HELP) ${name}\\s`).test(line)) known = true;
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!sample || sample[1] !== name) continue;
    known = true;
    if (labelValue(sample[3] ?? '', 'strategy') !== strategy) continue;
    const value = Number(sample[4]);
    if (Number.isFinite(value)) sum += value;
  }
  return known ? sum : null;
}

function labelValue(labels: string, label: string): string | undefined {
  const pattern = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
  for (let match = pattern.exec(labels); match; match = pattern.exec(labels)) {
    if (match[1] === label) return match[2].replace(/\\(.)/g, '$1');
  }
  return undefined;
}

/** Null as soon as one replica cannot say: a partial sum would understate the herd. */
export async function scrapeLockCounters(state: ClusterState, strategy: string): Promise<LockCounters> {
  const texts = await Promise.all(state.replicas.map((replica) => fetchMetrics(replica.http)));
  const sum = (name: string): number | null => {
    let total = 0;
    for (const text of texts) {
      const value = text === null ? null : readCounter(text, name, strategy);
      if (value === null) return null;
      total += value;
    }
    return total;
  };
  return { acquisitions: sum(METRICS.lockAcquisitions), watchNotifications: sum(METRICS.watchNotifications) };
}

async function fetchMetrics(httpUrl: string): Promise<string | null> {
  try {
    const response = await fetch(`${httpUrl}/metrics`, { signal: AbortSignal.timeout(3000) });
    return response.ok ? await response.text() : null;
  } catch {
    return null; // an unreachable replica makes the counters unknown, which null reports
  }
}

export interface CounterDelta {
  lockAcquisitions: number | null;
  watchNotifications: number | null;
  /** The herd effect: watch events delivered per lock taken; null when either count is unknown or none was taken. */
  watchNotificationsPerAcquisition: number | null;
}

export function counterDelta(before: LockCounters, after: LockCounters): CounterDelta {
  const diff = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : b - a);
  const lockAcquisitions = diff(before.acquisitions, after.acquisitions);
  const watchNotifications = diff(before.watchNotifications, after.watchNotifications);
  const watchNotificationsPerAcquisition =
    lockAcquisitions === null || watchNotifications === null || lockAcquisitions <= 0
      ? null
      : watchNotifications / lockAcquisitions;
  return { lockAcquisitions, watchNotifications, watchNotificationsPerAcquisition };
}
