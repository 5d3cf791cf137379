import { describeAccounting } from './accounting';
import { measureBackendRates } from './backend-rates';
import { ClusterState, StrategyName } from '@app/contracts';
import { describeMachine } from './machine-info';
import { createProgress, RunProgress } from './progress';
import { BenchResults, buildStrategyResult, findProblems, StrategyResult, summarizeRun } from './results';
import { LoadShape, measureBaseline, measureStrategy, StrategyMeasurement } from './strategy-run';
import { OutputFiles, writeOrderNumbers, writeReports } from './write-outputs';

export const DEFAULT_BUSINESS_IDS: readonly number[] = [1001, 2001, 3001, 4001];

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
  const backends = await measureBackendRates(state, options.backendSampleMs, shape.businessIds.length);

  const measured: Array<{ strategy: StrategyName; measurement: StrategyMeasurement }> = [];
  const failures: string[] = [];
  const orders: Record<string, string> = {};
  for (const strategy of options.strategies) {
    try {
      const measurement = await measureStrategy(state, strategy, shape, progress);
      orders[strategy] = await writeOrderNumbers(options.outDir, strategy, measurement.run.orderNumbers);
      measured.push({ strategy, measurement });
      log(describeAccounting(strategy, measurement.run.accounting));
    } catch (error) {
      // One broken strategy must not hide the measurements of the others; the report names it.
      failures.push(`${strategy}: not measured: ${(error as Error).message}`);
      log(`!!! ${strategy}: not measured: ${(error as Error).message}`);
    }
  }

  // Measured again at the end and the better run kept: processes still warming up (JIT) at the
  // start would otherwise make the baseline too low and every ratio too flattering.
  const gatewayLast = await measureBaseline(state.gateway, 'baseline (gateway, again)', shape, progress);
  log(describeAccounting('baseline (gateway, again)', gatewayLast.accounting));
  const gatewayRun = gatewayLast.reqPerSec > gatewayFirst.reqPerSec ? gatewayLast : gatewayFirst;
  const baseline = {
    reqPerSec: gatewayRun.reqPerSec,
    gateway: summarizeRun(gatewayRun),
    replica: { ...summarizeRun(replicaRun), url: replica.http },
  };
  const strategies: StrategyResult[] = measured.map(({ strategy, measurement }) =>
    buildStrategyResult(strategy, measurement.run, measurement.counters, baseline.reqPerSec, backends),
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
