import { StrategyName } from '@app/contracts';
import { checkAccounting } from './accounting';
import { BackendRates } from './backend-rates';
import { LoadRunOutcome } from './load-run';
import { BenchResults, buildStrategyResult, findProblems, pairBaselines, PairedBaseline, summarizeRun } from './results';

/** Test data for the results builder and the report: a plausible run with chosen order numbers. */
export function fakeRun(orderNumbers: string[], errorsByStatus: Record<string, number> = {}, label = 'run'): LoadRunOutcome {
  const errors = Object.values(errorsByStatus).reduce((a, b) => a + b, 0);
  const requestsSent = orderNumbers.length + errors;
  return {
    label,
    requestsSent,
    successes: orderNumbers.length,
    orderNumbers,
    errorsByStatus,
    durationMs: 1000,
    reqPerSec: requestsSent,
    successPerSec: orderNumbers.length,
    latencyMs: { p50: 3, p99: 12 },
    accounting: checkAccounting(requestsSent, orderNumbers.length, errorsByStatus),
    autocannonSent: requestsSent,
  };
}

/** An empty-handler run of `requests` answers (all 200) over `durationMs`. */
export function fakeBaselineRun(requests: number, durationMs: number, p99 = 12): LoadRunOutcome {
  const reqPerSec = requests / (durationMs / 1000);
  return {
    label: 'baseline',
    requestsSent: requests,
    successes: requests,
    orderNumbers: [],
    errorsByStatus: {},
    durationMs,
    reqPerSec,
    successPerSec: reqPerSec,
    latencyMs: { p50: 3, p99 },
    accounting: checkAccounting(requests, requests, {}),
    autocannonSent: requests,
  };
}

/** A row's own baseline at a steady `reqPerSec`. */
export function fakePairedBaseline(reqPerSec: number): PairedBaseline {
  const run = fakeBaselineRun(reqPerSec, 1000);
  return pairBaselines(run, run);
}

export const FAKE_BACKENDS: BackendRates = {
  zookeeper: { operation: 'create + delete', cycles: 1000, durationMs: 1000, opsPerSec: 1000, parallel: 4 },
  redis: { operation: 'SET NX PX + DEL', cycles: 8000, durationMs: 1000, opsPerSec: 8000, parallel: 4 },
  database: { operation: 'GET_LOCK + token commit + RELEASE_LOCK', cycles: 2000, durationMs: 1000, opsPerSec: 2000, parallel: 4 },
  problems: [],
};

export const orderNumber = (n: number): string => `2026112517000000010010${String(n).padStart(3, '0')}`;

export function fakeResults(strategies: Array<{ name: StrategyName; numbers: string[] }>): BenchResults {
  const baselineRun = fakeRun([], {}, 'baseline');
  const baseline = {
    reqPerSec: 4000,
    gateway: { ...summarizeRun(baselineRun), reqPerSec: 4000 },
    replica: { ...summarizeRun(baselineRun), reqPerSec: 9000, url: 'http://127.0.0.1:3101' },
  };
  const partial = {
    baseline,
    backends: FAKE_BACKENDS,
    strategies: strategies.map(({ name, numbers }) =>
      buildStrategyResult(
        name,
        fakeRun(numbers),
        { lockAcquisitions: null, watchNotifications: null, watchNotificationsPerAcquisition: null },
        fakePairedBaseline(4000),
        FAKE_BACKENDS,
      ),
    ),
  };
  return {
    ...partial,
    settings: { connections: 8, requests: 100, warmupRequests: 0, replicas: 3, businessIds: [1001] },
    machine: { cores: 2, cpuModel: 'Test CPU', memoryGiB: 4, platform: 'Linux', node: 'v20', date: '2026-11-25T17:00:00.000Z' },
    problems: findProblems(partial),
  };
}
