import { rowLabel } from './row-label';
import { StrategyName, UNIQUE_STRATEGIES } from '@app/contracts';
import { Accounting } from './accounting';
import { BackendRates } from './backend-rates';
import { countDuplicates, duplicateRate, DuplicateCount } from '@app/order-numbers';
import { LoadRunOutcome } from './load-run';
import { MachineInfo } from './machine-info';
import { CounterDelta } from './replica-metrics';
import { CostPerOrder } from './cost-counters';
import { ScalingPoint } from './scaling';
import { FaultsResults } from './faults/faults-results';

type Backend = 'zookeeper' | 'redis' | 'database';

/** Which raw backend rate a lock strategy's throughput is compared with; null for the lock-free ones. */
export function backendOf(strategy: StrategyName): Backend | null {
  switch (strategy) {
    case 'zookeeper':
    case 'zookeeper-ephemeral':
      return 'zookeeper';
    case 'redis':
    case 'redlock':
      return 'redis';
    case 'db-lock':
      return 'database';
    case 'db-segment':
    case 'none':
    case 'local':
    case 'redis-pregen':
    case 'snowflake':
      return null;
  }
}

export interface RunSummary {
  requests: number;
  reqPerSec: number;
  latencyMs: { p50: number; p99: number };
  errors: number;
  errorsByStatus: Record<string, number>;
  accounting: Accounting;
}

/** The documented fields of DESIGN §5 first, then what the report adds. */
export interface StrategyResult {
  strategy: StrategyName;
  /** Every request carried its own Idempotency-Key (the row shows what the guarantee costs). */
  idempotencyKeys: boolean;
  /** 1 on the one-lock-per-order rows beside the batched ones (group commit off); absent otherwise. */
  lockBatchMax?: number;
  orders: number;
  duplicates: number;
  duplicateRate: number;
  reqPerSec: number;
  latencyMs: { p50: number; p99: number };
  errors: number;
  errorsByStatus: Record<string, number>;
  requests: number;
  ordersPerSec: number;
  durationMs: number;
  /** Orders per second over `pairedBaseline.reqPerSec`. */
  ratioToBaseline: number | null;
  /** The empty handler through the gateway, measured right before and right after this row: its denominator. */
  pairedBaseline: PairedBaseline;
  /**
   * Orders per second over each half of `pairedBaseline` alone: how far the machine's speed moved
   * around the row, and so the least by which this row's ratio is uncertain.
   */
  ratioByHalf: { before: number | null; after: number | null };
  backend: Backend | null;
  backendOpsPerSec: number | null;
  /** Orders per second over the raw backend cycle rate. */
  ratioToBackend: number | null;
  lockAcquisitions: number | null;
  watchNotifications: number | null;
  watchNotificationsPerAcquisition: number | null;
  /** The strategy promises uniqueness (DESIGN §2): any duplicate is a failure. */
  expectedUnique: boolean;
  duplicateExamples: DuplicateCount['examples'];
  accounting: Accounting;
  /** What each order cost the backends and the processes (deltas around the measured run); null when not measured. */
  cost: CostPerOrder | null;
}

export interface BenchResults {
  baseline: { reqPerSec: number; gateway: RunSummary; replica: RunSummary & { url: string } };
  backends: BackendRates;
  strategies: StrategyResult[];
  settings: { connections: number; requests: number; warmupRequests: number; replicas: number; businessIds: number[] };
  machine: MachineInfo;
  /** Accounting mismatches, duplicates where none may be, missing measurements: printed loudly. */
  problems: string[];
  /** With `--replicas 1,2,3,5`: the table at every size (this result set is one of them). */
  scaling?: ScalingPoint[];
  /** `npm run demo` only: the small set under faults (issue 8), measured after the calm comparison. */
  faults?: FaultsResults['faults'];
  faultSettings?: FaultsResults['settings'];
}

export function summarizeRun(run: LoadRunOutcome): RunSummary {
  return {
    requests: run.requestsSent,
    reqPerSec: run.reqPerSec,
    latencyMs: run.latencyMs,
    errors: run.accounting.errors,
    errorsByStatus: run.errorsByStatus,
    accounting: run.accounting,
  };
}

/** The two halves of a row's own baseline, taken together as one run of their combined length. */
export interface PairedBaseline {
  reqPerSec: number;
  /** The mean of the halves' p99s (a percentile of each half is all the load tool reports). */
  p99Ms: number;
  before: RunSummary;
  after: RunSummary;
}

export function pairBaselines(before: LoadRunOutcome, after: LoadRunOutcome): PairedBaseline {
  const seconds = (before.durationMs + after.durationMs) / 1000;
  const responses = before.reqPerSec * (before.durationMs / 1000) + after.reqPerSec * (after.durationMs / 1000);
  return {
    reqPerSec: responses / seconds,
    p99Ms: (before.latencyMs.p99 + after.latencyMs.p99) / 2,
    before: summarizeRun(before),
    after: summarizeRun(after),
  };
}

function ratio(numerator: number, denominator: number | null | undefined): number | null {
  return denominator === null || denominator === undefined || denominator <= 0 ? null : numerator / denominator;
}

export function buildStrategyResult(
  strategy: StrategyName,
  run: LoadRunOutcome,
  counters: CounterDelta,
  pairedBaseline: PairedBaseline,
  backends: BackendRates,
  idempotencyKeys = false,
  cost: CostPerOrder | null = null,
  lockBatchMax?: number,
): StrategyResult {
  const count = countDuplicates(run.orderNumbers);
  const backend = backendOf(strategy);
  const backendOpsPerSec = backend === null ? null : backends[backend]?.opsPerSec ?? null;
  return {
    strategy,
    idempotencyKeys,
    ...(lockBatchMax === undefined ? {} : { lockBatchMax }),
    orders: count.total,
    duplicates: count.duplicates,
    duplicateRate: duplicateRate(count),
    reqPerSec: run.reqPerSec,
    latencyMs: run.latencyMs,
    errors: run.accounting.errors,
    errorsByStatus: run.errorsByStatus,
    requests: run.requestsSent,
    ordersPerSec: run.successPerSec,
    durationMs: run.durationMs,
    ratioToBaseline: ratio(run.successPerSec, pairedBaseline.reqPerSec),
    pairedBaseline,
    ratioByHalf: {
      before: ratio(run.successPerSec, pairedBaseline.before.reqPerSec),
      after: ratio(run.successPerSec, pairedBaseline.after.reqPerSec),
    },
    backend,
    backendOpsPerSec,
    ratioToBackend: ratio(run.successPerSec, backendOpsPerSec),
    lockAcquisitions: counters.lockAcquisitions,
    watchNotifications: counters.watchNotifications,
    watchNotificationsPerAcquisition: counters.watchNotificationsPerAcquisition,
    expectedUnique: UNIQUE_STRATEGIES.includes(strategy),
    duplicateExamples: count.examples,
    accounting: run.accounting,
    cost,
  };
}

/** What is wrong with a result set, one line each; empty when the bench may be believed. */
export function findProblems(results: Pick<BenchResults, 'baseline' | 'backends' | 'strategies'>): string[] {
  const problems = [...results.backends.problems];
  const runs: Array<[string, Accounting]> = [
    ['baseline (gateway)', results.baseline.gateway.accounting],
    ['baseline (replica)', results.baseline.replica.accounting],
    ...results.strategies.flatMap((s): Array<[string, Accounting]> => {
      const label = rowLabel(s.strategy, s.idempotencyKeys, s.lockBatchMax);
      return [
        [label, s.accounting],
        [`${label} baseline before`, s.pairedBaseline.before.accounting],
        [`${label} baseline after`, s.pairedBaseline.after.accounting],
      ];
    }),
  ];
  for (const [label, accounting] of runs) {
    if (!accounting.ok) {
      problems.push(
        `${label}: ACCOUNTING MISMATCH: ${accounting.successes} ok + ${accounting.errors} errors != ${accounting.requestsSent} requests sent`,
      );
    }
  }
  for (const s of results.strategies) {
    if (s.expectedUnique && s.duplicates > 0) {
      problems.push(
        `${rowLabel(s.strategy, s.idempotencyKeys, s.lockBatchMax)}: ${s.duplicates} DUPLICATES from a strategy that promises unique numbers (e.g. ${s.duplicateExamples[0]?.orderNumber})`,
      );
    }
  }
  return problems;
}
