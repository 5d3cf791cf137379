import path from 'node:path';
import { LocalCluster } from '@app/cluster';
import { BenchArgumentError, HelpRequested } from '../bench-options';
import { describeCell } from './fault-group';
import { FaultsOptions, parseFaultsArgs } from './faults-options';
import { FaultsResults } from './faults-results';
import { runFaults, writeFaultsReports } from './run-faults';
import { stopOnInterrupt } from '../stop-on-interrupt';

/** Where each fault's cluster lives: wiped at its launch, never a cluster someone else runs. */
export const FAULTS_WORK_DIR = '.cluster/faults';

/** `npm run faults`. Exit codes: 0 clean, 1 the matrix shows a problem (or the run failed), 2 a bad command line. */
export async function runFaultsCommand(argv: readonly string[]): Promise<number> {
  let options: FaultsOptions;
  try {
    options = parseFaultsArgs(argv);
  } catch (error) {
    if (error instanceof HelpRequested) {
      process.stdout.write(`${error.message}\n`);
      return 0;
    }
    if (error instanceof BenchArgumentError) {
      process.stderr.write(`faults: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  let running: Promise<LocalCluster> | undefined;
  const stopHandlers = stopOnInterrupt('faults', () => running);
  const onCluster = (current: Promise<LocalCluster> | undefined): void => {
    running = current;
  };
  let results: FaultsResults;
  try {
    results = await runFaults({ ...options, workDir: path.resolve(FAULTS_WORK_DIR), log, onCluster });
  } finally {
    stopHandlers();
  }
  const files = await writeFaultsReports(options.outDir, results);
  log('');
  results.faults.forEach((cell) => log(describeCell(cell)));
  results.problems.forEach((problem) => log(`!!! ${problem}`));
  log(`results: ${files.resultsJson}`);
  log(`report:  ${files.reportHtml}`);
  log(`total ${(results.durationMs / 1000).toFixed(0)} s`);
  return results.problems.length === 0 ? 0 : 1;
}
