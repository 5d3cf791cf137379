import { describeAccounting } from './accounting';
import { rowLabel } from './row-label';
import { measureBackendRates } from './backend-rates';
import { ClusterCredentials, ClusterState, StrategyName } from '@app/contracts';
import { describeMachine } from './machine-info';
import { CostProbe } from './cost-probe';
import { createProgress, RunProgress } from './progress';
import { BenchResults, buildStrategyResult, findProblems, pairBaselines, StrategyResult, summarizeRun } from './results';
import { LoadShape, measureBaseline, measureStrategy, StrategyMeasurement } from './strategy-run';
import { OutputFiles, writeOrderNumbers, writeReports } from './write-outputs';

export const DEFAULT_BUSINESS_IDS: readonly number[] = [1001, 2001, 3001, 4001];

/**
 * One strategy of each number family is measured a second time with an Idempotency-Key on every
 * request: the locked ledger, the pool and snowflake. The guarantee costs the same Redis round
 * trips whatever the strategy, so one row per family shows it.
 */
export const KEYED_STRATEGIES: readonly StrategyName[] = ['redis', 'redis-pregen', 'snowflake'];

/**
 * The locked strategies are measured a second time with one lock per order (`lockBatchMax` 1):
 * the batched row shows what group commit gives, this one what a lock per order costs (DESIGN §2).
 */
export const UNBATCHED_STRATEGIES: readonly StrategyName[] = ['zookeeper', 'zookeeper-ephemeral', 'redis', 'db-lock'];

/** One row of the table: a strategy, with keys or without, with group commit or one lock per order. */
interface BenchRow {
  strategy: StrategyName;
  idempotencyKeys: boolean;
  lockBatchMax?: number;
}

export interface BenchRunOptions {
  strategies: readonly StrategyName[];
  connections: number;
  requests: number;
  warmupRequests: number;
  outDir: string;
  /** How long each raw backend rate is sampled. */
  backendSampleMs: number;
  businessIds?: readonly number[];
  progress?: RunProgress;
  log?: (line: string) => void;
  /** A secure cluster's credentials; none for an open one. */
  credentials?: ClusterCredentials;
}

export interface BenchOutcome {
  results: BenchResults;
  files: OutputFiles;
}

/**
 * The programmatic entry point: benchmarks `strategies` on the running cluster `state` and
 * writes results.json, report.html and orders-<strategy>.txt into `outDir`. A strategy that
 * cannot be switched to or measured is left out and named in `results.problems`; the others run.
 */
export async function runBench(state: ClusterState, options: BenchRunOptions): Promise<BenchOutcome> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const progress = options.progress ?? createProgress();
  const shape: LoadShape = {
    connections: options.connections,
    requests: options.requests,
    warmupRequests: options.warmupRequests,
    businessIds: options.businessIds ?? DEFAULT_BUSINESS_IDS,
  };

  const replica = state.replicas[0];
  const replicaRun = await measureBaseline(replica.http, `baseline (replica ${replica.id})`, shape, progress);
  log(describeAccounting(`baseline (replica ${replica.id})`, replicaRun.accounting));
  const gatewayFirst = await measureBaseline(state.gateway, 'baseline (gateway)', shape, progress);
  log(describeAccounting('baseline (gateway)', gatewayFirst.accounting));

  log(`raw backend rates (${options.backendSampleMs} ms each)...`);
  const backends = await measureBackendRates(state, options.backendSampleMs, shape.businessIds.length, process.env, options.credentials);

  const probe = await CostProbe.open(state);
  const measured: Array<BenchRow & { measurement: StrategyMeasurement }> = [];
  const failures: string[] = [];
  const orders: Record<string, string> = {};
  const rows: BenchRow[] = [
    ...options.strategies.map((strategy) => ({ strategy, idempotencyKeys: false })),
    ...options.strategies
      .filter((strategy) => KEYED_STRATEGIES.includes(strategy))
      .map((strategy) => ({ strategy, idempotencyKeys: true })),
    ...options.strategies
      .filter((strategy) => UNBATCHED_STRATEGIES.includes(strategy))
      .map((strategy) => ({ strategy, idempotencyKeys: false, lockBatchMax: 1 })),
  ];
  if (rows.length > 0 && shape.warmupRequests > 0) await warmUpFirstRow(state, rows[0].strategy, shape, progress, options.credentials);
  for (const { strategy, idempotencyKeys, lockBatchMax } of rows) {
    const label = rowLabel(strategy, idempotencyKeys, lockBatchMax);
    try {
      const credentials = options.credentials;
      const measurement = await measureStrategy(state, strategy, shape, progress, { idempotencyKeys, probe, credentials, lockBatchMax });
      orders[label] = await writeOrderNumbers(options.outDir, label, measurement.run.orderNumbers);
      measured.push({ strategy, idempotencyKeys, lockBatchMax, measurement });
      log(describeAccounting(label, measurement.run.accounting));
    } catch (error) {
      // One broken strategy must not hide the measurements of the others; the report names it.
      failures.push(`${label}: not measured: ${(error as Error).message}`);
      log(`!!! ${label}: not measured: ${(error as Error).message}`);
    }
  }

  probe.close();

  // The session's headline baseline (each row's ratio has its own, measured around it): measured
  // again at the end and the better run kept, since processes still warming up (JIT) at the start
  // would otherwise make it too low.
  const gatewayLast = await measureBaseline(state.gateway, 'baseline (gateway, again)', shape, progress);
  log(describeAccounting('baseline (gateway, again)', gatewayLast.accounting));
  const gatewayRun = gatewayLast.reqPerSec > gatewayFirst.reqPerSec ? gatewayLast : gatewayFirst;
  const baseline = {
    reqPerSec: gatewayRun.reqPerSec,
    gateway: summarizeRun(gatewayRun),
    replica: { ...summarizeRun(replicaRun), url: replica.http },
  };
  const strategies: StrategyResult[] = measured.map(({ strategy, idempotencyKeys, lockBatchMax, measurement: m }) =>
    buildStrategyResult(
      strategy,
      m.run,
      m.counters,
      pairBaselines(m.baseline.before, m.baseline.after),
      backends,
      idempotencyKeys,
      m.cost,
      lockBatchMax,
    ),
  );

  const partial = { baseline, backends, strategies };
  const results: BenchResults = {
    ...partial,
    settings: {
      connections: shape.connections,
      requests: shape.requests,
      warmupRequests: shape.warmupRequests,
      replicas: state.replicas.length,
      businessIds: [...shape.businessIds],
    },
    machine: describeMachine(),
    problems: [...findProblems(partial), ...failures],
  };
  const reports = await writeReports(options.outDir, results);
  return { results, files: { ...reports, orders } };
}

/**
 * The first row ran in a transient of its own: in every run, its baseline halves were 7-81% apart
 * (later rows': a few %, either way), so its ratio said more about its place than its strategy.
 * One unmeasured pass of that row puts the first measured row where the others are. A strategy
 * that cannot be switched to fails here too; its own row reports that, so it is not reported twice.
 */
async function warmUpFirstRow(
  state: ClusterState,
  strategy: StrategyName,
  shape: LoadShape,
  progress: RunProgress,
  credentials: ClusterCredentials | undefined,
): Promise<void> {
  await measureStrategy(state, strategy, shape, progress, { credentials, label: `unmeasured ${strategy}` }).catch(() => undefined);
}
