import { rowLabel } from './row-label';
import { formatMs, formatRate } from './format';
import { BenchResults } from './results';
import { renderBarChart } from './svg-chart';

/** One strategy row at one cluster size. */
export interface ScalingRow {
  label: string;
  ordersPerSec: number;
  p99Ms: number;
  ratioToBaseline: number | null;
  cpuSecondsPer1000: number | null;
}

/** The whole table at one cluster size, measured on a fresh cluster of that size. */
export interface ScalingPoint {
  replicas: number;
  baselineReqPerSec: number;
  baselineP99Ms: number;
  rows: ScalingRow[];
}

export function scalingPointOf(results: BenchResults): ScalingPoint {
  return {
    replicas: results.settings.replicas,
    baselineReqPerSec: results.baseline.reqPerSec,
    baselineP99Ms: results.baseline.gateway.latencyMs.p99,
    rows: results.strategies.map((s) => ({
      label: rowLabel(s.strategy, s.idempotencyKeys),
      ordersPerSec: s.ordersPerSec,
      p99Ms: s.latencyMs.p99,
      ratioToBaseline: s.ratioToBaseline,
      cpuSecondsPer1000: s.cost?.cpuSecondsPer1000 ?? null,
    })),
  };
}

const PALETTE = ['#7f8c8d', '#95a5a6', '#2e86c1', '#1a5276', '#c0392b', '#28b463', '#d68910', '#8e44ad', '#16a085', '#e67e22', '#34495e'];

/**
 * Orders/s and p99 against the cluster size, one bar series per strategy row (and the empty
 * handler as the first series), so each strategy's curve reads left to right across the groups.
 */
export function renderScalingCharts(points: readonly ScalingPoint[]): string[] {
  const labels = [...new Set(points.flatMap((point) => point.rows.map((row) => row.label)))];
  const categories = points.map((point) => `${point.replicas} replica${point.replicas === 1 ? '' : 's'}`);
  const value = (point: ScalingPoint, label: string, pick: (row: ScalingRow) => number): number => {
    const row = point.rows.find((candidate) => candidate.label === label);
    return row ? pick(row) : 0;
  };
  const series = (pick: (row: ScalingRow) => number, baseline: (point: ScalingPoint) => number) => [
    { name: 'empty handler', color: '#bdc3c7', values: points.map(baseline) },
    ...labels.map((label, i) => ({
      name: label,
      color: PALETTE[i % PALETTE.length],
      values: points.map((point) => value(point, label, pick)),
    })),
  ];
  return [
    renderBarChart({
      title: 'Orders/s against replicas (through the gateway)',
      unit: 'orders/s',
      categories,
      series: series((row) => row.ordersPerSec, (point) => point.baselineReqPerSec),
      format: formatRate,
      legendColumns: 4,
    }),
    renderBarChart({
      title: 'p99 latency against replicas',
      unit: 'ms',
      categories,
      series: series((row) => row.p99Ms, (point) => point.baselineP99Ms),
      format: formatMs,
      legendColumns: 4,
    }),
  ];
}
