import { rowLabel } from './row-label';
import { formatErrors, formatMs, formatOptional, formatPercent, formatRate, formatRatio, formatRatioRange } from './format';
import { BenchResults, StrategyResult } from './results';
import { COST_COLUMNS, COST_NOTE, costRows } from './cost-table';

export const TABLE_COLUMNS = [
  'strategy',
  '÷ baseline',
  '÷ each half',
  'baseline/s',
  '÷ backend',
  'orders',
  'duplicates',
  'dup rate',
  'req/s',
  'p50',
  'p99',
  'p99 ÷ baseline',
  'watch/acq',
  'errors',
] as const;

/** One row per strategy, ratios first: they are what the comparison is about. */
export function tableRows(strategies: readonly StrategyResult[]): string[][] {
  return strategies.map((s) => [
    rowLabel(s.strategy, s.idempotencyKeys, s.lockBatchMax),
    formatRatio(s.ratioToBaseline),
    formatRatioRange(s.ratioByHalf.before, s.ratioByHalf.after),
    formatRate(s.pairedBaseline.reqPerSec),
    formatRatio(s.ratioToBackend),
    String(s.orders),
    String(s.duplicates),
    formatPercent(s.duplicateRate),
    formatRate(s.reqPerSec),
    formatMs(s.latencyMs.p50),
    formatMs(s.latencyMs.p99),
    formatRatio(s.pairedBaseline.p99Ms > 0 ? s.latencyMs.p99 / s.pairedBaseline.p99Ms : null),
    formatOptional(s.watchNotificationsPerAcquisition),
    formatErrors(s.errors, s.errorsByStatus),
  ]);
}

export function renderTable(header: readonly string[], rows: readonly string[][]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The terminal summary: baselines and backend ceilings, the table, then every problem. */
export function renderResultsText(results: BenchResults): string {
  const { baseline, backends } = results;
  const lines = [
    `baseline (empty handler): gateway ${formatRate(baseline.reqPerSec)} req/s (the better of the runs at the start and the end), one replica directly ${formatRate(baseline.replica.reqPerSec)} req/s`,
    `raw backends (one client, one cycle in flight per business line): ZooKeeper ${backends.zookeeper ? `${formatRate(backends.zookeeper.opsPerSec)} ${backends.zookeeper.operation}/s` : 'n/a'}, ` +
      `Redis ${backends.redis ? `${formatRate(backends.redis.opsPerSec)} ${backends.redis.operation}/s` : 'n/a'}, ` +
      `MariaDB ${backends.database ? `${formatRate(backends.database.opsPerSec)} ${backends.database.operation}/s` : 'n/a'}`,
    `load: ${results.settings.requests} requests per strategy, ${results.settings.connections} connections, ${results.settings.replicas} replicas`,
    '',
    renderTable(TABLE_COLUMNS, tableRows(results.strategies)),
    '',
    `÷ baseline = orders/s over baseline/s, the empty handler's req/s through the gateway measured right before and right after that row (${Math.ceil(results.settings.requests / 2)} requests each); ÷ each half = the same over each half alone, lower first: how far the machine's speed moved around the row, the least by which its ratio is uncertain; p99 ÷ baseline = the row's p99 over the mean of its baseline halves' p99s; ÷ backend = orders/s over the raw backend cycles/s.`,
    '',
    renderTable(COST_COLUMNS, costRows(results.strategies)),
    '',
    COST_NOTE,
  ];
  if (results.problems.length > 0) {
    lines.push('', '!!! PROBLEMS !!!', ...results.problems.map((problem) => `!!! ${problem}`));
  }
  return lines.join('\n');
}
