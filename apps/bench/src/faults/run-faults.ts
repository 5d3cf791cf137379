import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { mkdir, writeFile } from 'node:fs/promises';
import { StrategyName } from '@app/contracts';
import { describeMachine } from '../machine-info';
import { DEFAULT_BUSINESS_IDS } from '../run-bench';
import { FAULT_CLUSTER_ENV, FAULT_HOLD_MS, FaultId } from './fault-driver';
import { faultApplies, fencingValues } from './fault-catalog';
import { FaultCell, FaultGroupSpec, runFaultGroup } from './fault-group';
import { findFaultProblems } from './fault-result';
import { FaultsResults } from './faults-results';
import { renderFaultsReportHtml } from './faults-report-html';

export interface FaultsRunOptions {
  strategies: readonly StrategyName[];
  faults: readonly FaultId[];
  connections: number;
  /** Each fault's cluster lives (and is wiped) under here. */
  workDir: string;
  log: (line: string) => void;
  /** Told of each fault's cluster as it starts, and of its end (undefined): what Ctrl-C must stop. */
  onCluster?: FaultGroupSpec['onCluster'];
}

/** The cells of the matrix for one fault: every strategy it applies to, with each fencing value that matters. */
export function faultCells(fault: FaultId, strategies: readonly StrategyName[]): FaultCell[] {
  return strategies
    .filter((strategy) => faultApplies(fault, strategy))
    .flatMap((strategy) => fencingValues(fault, strategy).map((fencing) => ({ strategy, fencing })));
}

/** Runs the matrix, one cluster per fault, and says what in it is wrong. */
export async function runFaults(options: FaultsRunOptions): Promise<FaultsResults> {
  const started = performance.now();
  const results: FaultsResults['faults'] = [];
  const failures: string[] = [];
  for (const fault of options.faults) {
    const cells = faultCells(fault, options.strategies);
    if (cells.length === 0) continue;
    options.log(`${fault}: ${cells.length} cells on a cluster of their own...`);
    const outcome = await runFaultGroup({
      fault,
      cells,
      connections: options.connections,
      businessIds: DEFAULT_BUSINESS_IDS,
      workDir: path.join(options.workDir, fault),
      log: options.log,
      onCluster: options.onCluster,
    });
    results.push(...outcome.results);
    failures.push(...outcome.failures);
  }
  return {
    faults: results,
    settings: {
      connections: options.connections,
      replicas: 3,
      businessIds: [...DEFAULT_BUSINESS_IDS],
      holdMs: FAULT_HOLD_MS,
      lockTtlMs: Number(FAULT_CLUSTER_ENV.LOCK_TTL_MS),
      zkSessionTimeoutMs: Number(FAULT_CLUSTER_ENV.ZK_SESSION_TIMEOUT_MS),
    },
    machine: describeMachine(),
    problems: [...findFaultProblems(results), ...failures],
    durationMs: Math.round(performance.now() - started),
  };
}

export async function writeFaultsReports(outDir: string, results: FaultsResults): Promise<{ resultsJson: string; reportHtml: string }> {
  await mkdir(outDir, { recursive: true });
  const resultsJson = path.join(outDir, 'results.json');
  const reportHtml = path.join(outDir, 'report.html');
  await writeFile(resultsJson, `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(reportHtml, renderFaultsReportHtml(results));
  return { resultsJson, reportHtml };
}
