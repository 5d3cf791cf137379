import { rowLabel } from './row-label';
import { formatMs, formatPercent, formatRate } from './format';
import { BenchResults } from './results';
import { TABLE_COLUMNS, tableRows } from './results-table';
import { COST_COLUMNS, COST_NOTE, costRows } from './cost-table';
import { renderScalingCharts } from './scaling';
import { escapeXml, renderBarChart } from './svg-chart';
import { renderFaultsSection } from './faults/faults-report-html';

/**
 * The self-contained HTML report: charts are inline SVG and there is no script or link to load,
 * because the machines it is read on are offline.
 */
export function renderReportHtml(results: BenchResults): string {
  const names = results.strategies.map((s) => rowLabel(s.strategy, s.idempotencyKeys, s.lockBatchMax));
  const charts = [
    renderBarChart({
      title: 'Duplicate rate per strategy',
      unit: 'duplicates / orders',
      categories: names,
      series: [{ name: 'duplicate rate', color: '#c0392b', values: results.strategies.map((s) => s.duplicateRate) }],
      format: formatPercent,
    }),
    renderBarChart({
      title: 'Throughput per strategy (through the gateway)',
      unit: 'req/s',
      categories: names,
      series: [
        { name: 'req/s', color: '#2e86c1', values: results.strategies.map((s) => s.reqPerSec) },
        { name: 'orders/s', color: '#28b463', values: results.strategies.map((s) => s.ordersPerSec) },
      ],
      reference: { label: 'empty-handler baseline', value: results.baseline.reqPerSec },
      format: formatRate,
    }),
    renderBarChart({
      title: 'Latency per strategy',
      unit: 'ms',
      categories: names,
      series: [
        { name: 'p50', color: '#5dade2', values: results.strategies.map((s) => s.latencyMs.p50) },
        { name: 'p99', color: '#1a5276', values: results.strategies.map((s) => s.latencyMs.p99) },
      ],
      format: formatMs,
    }),
  ];
  const { machine, settings, baseline, backends } = results;
  const cell = (text: string): string => `<td>${escapeXml(text)}</td>`;
  const htmlTable = (columns: readonly string[], rows: string[][]): string =>
    [
      '<table>',
      `<thead><tr>${columns.map((title) => `<th>${escapeXml(title)}</th>`).join('')}</tr></thead>`,
      '<tbody>',
      ...rows.map((row) => `<tr>${row.map(cell).join('')}</tr>`),
      '</tbody></table>',
    ].join('\n');
  const table = htmlTable(TABLE_COLUMNS, tableRows(results.strategies));
  const costTable = htmlTable(COST_COLUMNS, costRows(results.strategies));
  const backendLine = (name: string, rate: BenchResults['backends']['zookeeper']): string =>
    `${name}: ${rate ? `${formatRate(rate.opsPerSec)} cycles/s (${escapeXml(rate.operation)}, one client, ${rate.parallel} cycles in flight)` : 'not measured'}`;
  const problems =
    results.problems.length === 0
      ? '<p class="ok">Every request is accounted for; no strategy that promises unique numbers returned a duplicate.</p>'
      : `<ul class="problems">${results.problems.map((p) => `<li>${escapeXml(p)}</li>`).join('')}</ul>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>ordernum strategy comparison</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; max-width: 1000px; }
table { border-collapse: collapse; margin: 1em 0; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.problems li { color: #c0392b; font-weight: bold; }
.ok { color: #1e8449; }
svg { display: block; margin: 1.5em 0; }
</style>
</head>
<body>
<h1>ordernum: order-number strategies compared</h1>
<p>${settings.requests} requests per strategy over ${settings.connections} connections through the gateway to ${settings.replicas} replicas,
business IDs ${escapeXml(settings.businessIds.join(', '))} in turn, after ${settings.warmupRequests} unmeasured warm-up requests.</p>
<h2>Findings</h2>
${problems}
<h2>Baselines</h2>
<ul>
<li>Empty handler through the gateway: ${formatRate(baseline.reqPerSec)} req/s (p99 ${formatMs(baseline.gateway.latencyMs.p99)}), the better of the runs at the start and at the end — the physical limit. Each row's ratio is taken against the same empty handler measured right before and right after that row (baseline/s), so that the machine's drift between rows does not count.</li>
<li>Empty handler on one replica directly: ${formatRate(baseline.replica.reqPerSec)} req/s (p99 ${formatMs(baseline.replica.latencyMs.p99)}).</li>
<li>${backendLine('ZooKeeper', backends.zookeeper)}</li>
<li>${backendLine('Redis', backends.redis)}</li>
<li>${backendLine('MariaDB', backends.database)}</li>
</ul>
<h2>Results</h2>
${table}
<p>÷ baseline: orders/s over baseline/s, the empty handler's req/s through the gateway measured right before and right after that row (${Math.ceil(settings.requests / 2)} requests each). ÷ each half: the same over each half alone, lower first; the spread is how far the machine's speed moved around the row, the least by which that row's ratio is uncertain. p99 ÷ baseline: the row's p99 over the mean of its baseline halves' p99s. ÷ backend: orders/s over the raw backend cycle rate (ZooKeeper for the ZooKeeper locks, Redis for the Redis lock, MariaDB's lock cycle for the database lock).
watch/acq: ZooKeeper watch notifications per lock acquisition, summed over the replicas (the herd effect); n/a where a replica does not count them.</p>
<h2>Cost per order</h2>
${costTable}
<p>${escapeXml(COST_NOTE)}</p>
<h2>Charts</h2>
${charts.join('\n')}
${scalingSection(results)}
${faultsSection(results)}
<h2>Machine</h2>
<ul>
<li>${machine.cores} cores, ${escapeXml(machine.cpuModel)}, ${machine.memoryGiB} GiB</li>
<li>${escapeXml(machine.platform)}, Node ${escapeXml(machine.node)}</li>
<li>measured ${escapeXml(machine.date)}</li>
</ul>
</body>
</html>
`;
}

function scalingSection(results: BenchResults): string {
  const points = results.scaling ?? [];
  if (points.length < 2) return '';
  const sizes = points.map((point) => point.replicas).join(', ');
  return `<h2>Scaling: ${escapeXml(sizes)} replicas</h2>
<p>The whole table at each size, each on a fresh cluster. On one machine every replica shares the same CPUs, so more replicas
add processes, not capacity: see SCALING.md for the model of each strategy's ceiling and what this machine can and cannot show.</p>
${renderScalingCharts(points).join('\n')}`;
}

/** Problems of the faults run are among `results.problems` already: the section lists only its own again. */
function faultsSection(results: BenchResults): string {
  if (!results.faults || !results.faultSettings) return '';
  const own = results.problems.filter((problem) => results.faults!.some((cell) => problem.startsWith(`${cell.strategy} × ${cell.fault}`)));
  return renderFaultsSection({ faults: results.faults, settings: results.faultSettings, problems: own });
}
