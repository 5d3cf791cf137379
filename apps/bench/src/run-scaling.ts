import path from 'node:path';
import { BenchOptions } from './bench-options';
import { acquireCluster, BenchCluster } from './cluster-target';
import { BenchResults } from './results';
import { renderResultsText } from './results-table';
import { runBench } from './run-bench';
import { ScalingPoint, scalingPointOf } from './scaling';
import { writeReports } from './write-outputs';

/**
 * `--replicas 1,2,3,5`: the whole table on a fresh cluster of each size (a running cluster has
 * one size only), each size's files in `<out>/replicas-<n>/`, then `<out>/results.json` and
 * `report.html` of the largest size at or below 3 (the documented shape) with every size's points
 * attached, so the report draws the scaling charts.
 */
export async function runScaling(
  options: BenchOptions,
  log: (line: string) => void,
  onCluster: (cluster: BenchCluster | undefined) => void,
): Promise<BenchResults> {
  const points: ScalingPoint[] = [];
  const all: BenchResults[] = [];
  for (const replicas of options.replicaCounts) {
    log(`\n=== ${replicas} replica${replicas === 1 ? '' : 's'} ===`);
    const cluster = await acquireCluster({ stateFile: options.stateFile, replicas, fresh: true, log });
    onCluster(cluster);
    try {
      const { results } = await runBench(cluster.state, { ...options, outDir: path.join(options.outDir, `replicas-${replicas}`) });
      log(renderResultsText(results));
      points.push(scalingPointOf(results));
      all.push(results);
    } finally {
      log('stopping the cluster...');
      await cluster.stop();
      onCluster(undefined);
    }
  }
  const main = [...all].reverse().find((results) => results.settings.replicas <= 3) ?? all[0];
  const problems = all.flatMap((results) => results.problems.map((problem) => `${results.settings.replicas} replicas: ${problem}`));
  const combined: BenchResults = { ...main, scaling: points, problems };
  const files = await writeReports(options.outDir, combined);
  log('');
  for (const point of points) {
    log(`${point.replicas} replicas: ${point.rows.map((row) => `${row.label} ${Math.round(row.ordersPerSec)}/s p99 ${row.p99Ms} ms`).join(', ')}`);
  }
  log(`results: ${files.resultsJson}`);
  log(`report:  ${files.reportHtml}`);
  return combined;
}
