import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BenchArgumentError, BenchOptions, HelpRequested, parseBenchArgs } from './bench-options';
import { acquireCluster, BenchCluster } from './cluster-target';
import { renderResultsText } from './results-table';
import { runBench } from './run-bench';
import { runScaling } from './run-scaling';
import { DEMO_FAULTS } from './faults/faults-options';
import { FAULTS_WORK_DIR } from './faults/faults-command';
import { stopOnInterrupt, Stoppable } from './stop-on-interrupt';
import { runFaults } from './faults/run-faults';
import { writeReports } from './write-outputs';

/** Exit codes: 0 fine, 1 the results show a problem (or the bench failed), 2 a bad command line, 130 interrupted. */
export async function runBenchCommand(argv: readonly string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchArgs(argv);
  } catch (error) {
    if (error instanceof HelpRequested) {
      process.stdout.write(`${error.message}\n`);
      return 0;
    }
    if (error instanceof BenchArgumentError) {
      process.stderr.write(`bench: ${error.message}\n`);
      return 2;
    }
    throw error;
  }

  const started = performance.now();
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  let cluster: BenchCluster | undefined;
  /** What Ctrl-C stops: the calm cluster, then the demo's fault clusters one after another. */
  let running: Stoppable | Promise<Stoppable> | undefined;
  const stopHandlers = stopOnInterrupt('bench', () => running);
  if (options.replicaCounts.length > 1) {
    try {
      const results = await runScaling(options, log, (current) => (running = current));
      return results.problems.length === 0 ? 0 : 1;
    } catch (error) {
      process.stderr.write(`bench: ${(error as Error).message}\n`);
      return 1;
    } finally {
      log(`total ${seconds(started)} s`);
      stopHandlers();
    }
  }
  try {
    cluster = await acquireCluster({
      stateFile: options.stateFile,
      replicas: options.replicas,
      fresh: options.demo,
      secure: options.secure,
      log,
    });
    running = cluster;
    log(`cluster ready after ${seconds(started)} s`);
    const { results, files } = await runBench(cluster.state, { ...options, credentials: cluster.credentials });
    if (options.demo) {
      // The calm cluster is done with; its CPU is the faults run's now.
      await cluster.stop();
      const strategies = DEMO_FAULTS.strategies.filter((strategy) => options.strategies.includes(strategy));
      log(`under faults: ${DEMO_FAULTS.faults.join(', ')} for ${strategies.join(', ')}, fencing on and off...`);
      const workDir = resolve(FAULTS_WORK_DIR);
      const onCluster = (current: Promise<Stoppable> | undefined): void => {
        running = current;
      };
      const faults = await runFaults({ ...DEMO_FAULTS, strategies, connections: options.connections, workDir, log, onCluster });
      results.faults = faults.faults;
      results.faultSettings = faults.settings;
      results.problems.push(...faults.problems);
      await writeReports(options.outDir, results);
      log(`faults: ${(faults.durationMs / 1000).toFixed(0)} s`);
    }
    log('');
    log(renderResultsText(results));
    log('');
    log(`results: ${files.resultsJson}`);
    log(`report:  ${files.reportHtml}`);
    log(`order numbers: ${options.outDir}/orders-<strategy>.txt`);
    return results.problems.length === 0 ? 0 : 1;
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n`);
    return 1;
  } finally {
    if (cluster?.launched) {
      log('stopping the cluster...');
      await cluster.stop().catch((error: Error) => process.stderr.write(`bench: stopping the cluster: ${error.message}\n`));
    }
    log(`total ${seconds(started)} s`);
    stopHandlers();
  }
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}
