/** A series of bars, one per category; several series draw grouped bars. */
export interface BarSeries {
  name: string;
  color: string;
  values: readonly number[];
}

export interface BarChart {
  title: string;
  unit: string;
  categories: readonly string[];
  series: readonly BarSeries[];
  /** A horizontal reference line (the baseline). */
  reference?: { label: string; value: number };
  format: (value: number) => string;
  /** Legend entries per row; by default all in one row (enough for a few series). */
  legendColumns?: number;
}

const WIDTH = 760;
const BASE_HEIGHT = 300;
const MARGIN = { top: 36, right: 20, bottom: 70, left: 70 };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** Inline SVG (inside HTML it needs no namespace), no script: the report must open offline. */
export function renderBarChart(chart: BarChart): string {
  const columns = chart.legendColumns ?? Math.max(1, chart.series.length);
  const legendRows = Math.ceil(chart.series.length / columns);
  // Extra legend rows grow the chart downwards; the plot keeps its height.
  const height = BASE_HEIGHT + (legendRows - 1) * 18;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = BASE_HEIGHT - MARGIN.top - MARGIN.bottom;
  const values = chart.series.flatMap((s) => s.values).concat(chart.reference ? [chart.reference.value] : []);
  const max = niceMax(Math.max(0, ...values.filter(Number.isFinite)));
  const y = (value: number): number => MARGIN.top + plotH - (Math.max(0, value) / max) * plotH;
  const slot = plotW / Math.max(1, chart.categories.length);
  const barW = (slot * 0.7) / Math.max(1, chart.series.length);
  const parts: string[] = [
    `<svg viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${escapeXml(chart.title)}">`,
    `<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(chart.title)}</text>`,
  ];
  for (let tick = 0; tick <= 4; tick += 1) {
    const value = (max * tick) / 4;
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(value)}" y2="${y(value)}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 6}" y="${y(value) + 4}" text-anchor="end" font-size="11">${escapeXml(chart.format(value))}</text>`,
    );
  }
  parts.push(
    `<text x="14" y="${MARGIN.top + plotH / 2}" font-size="11" transform="rotate(-90 14 ${MARGIN.top + plotH / 2})" text-anchor="middle">${escapeXml(chart.unit)}</text>`,
  );
  chart.categories.forEach((category, i) => {
    const x0 = MARGIN.left + slot * i + slot * 0.15;
    chart.series.forEach((series, j) => {
      const value = series.values[i] ?? 0;
      const top = y(value);
      parts.push(
        `<rect x="${(x0 + barW * j).toFixed(1)}" y="${top.toFixed(1)}" width="${barW.toFixed(1)}" height="${(MARGIN.top + plotH - top).toFixed(1)}" fill="${series.color}">` +
          `<title>${escapeXml(`${category} ${series.name}: ${chart.format(value)}`)}</title></rect>`,
      );
    });
    parts.push(
      `<text x="${(MARGIN.left + slot * (i + 0.5)).toFixed(1)}" y="${BASE_HEIGHT - MARGIN.bottom + 16}" text-anchor="middle" font-size="11">${escapeXml(category)}</text>`,
    );
  });
  if (chart.reference) {
    const ry = y(chart.reference.value).toFixed(1);
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${ry}" y2="${ry}" stroke="#c0392b" stroke-width="2" stroke-dasharray="6 4"/>`,
      // Labelled in the legend row: next to the line it would cover the bars.
      `<line x1="${WIDTH - MARGIN.right - 250}" x2="${WIDTH - MARGIN.right - 226}" y1="${BASE_HEIGHT - 18}" y2="${BASE_HEIGHT - 18}" stroke="#c0392b" stroke-width="2" stroke-dasharray="6 4"/>`,
      `<text x="${WIDTH - MARGIN.right - 220}" y="${BASE_HEIGHT - 14}" font-size="11" fill="#c0392b">${escapeXml(`${chart.reference.label}: ${chart.format(chart.reference.value)}`)}</text>`,
    );
  }
  chart.series.forEach((series, j) => {
    const lx = MARGIN.left + (j % columns) * 160;
    const ly = BASE_HEIGHT - 24 + Math.floor(j / columns) * 18;
    parts.push(
      `<rect x="${lx}" y="${ly}" width="12" height="12" fill="${series.color}"/>`,
      `<text x="${lx + 18}" y="${ly + 10}" font-size="11">${escapeXml(series.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** Rounds the axis top up to 1, 2 or 5 times a power of ten, so the grid lines read well. */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((m) => m * power >= value) ?? 10;
  return step * power;
}
