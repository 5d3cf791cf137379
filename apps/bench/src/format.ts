/** Number formats shared by the terminal table and the HTML report, so both print the same. */
export function formatRatio(value: number | null): string {
  return value === null ? 'n/a' : `${value.toFixed(value < 0.1 ? 3 : 2)}×`;
}

/** Two ratios as a range, lower first: `0.74–0.81`; `n/a` when either is missing. */
export function formatRatioRange(a: number | null, b: number | null): string {
  if (a === null || b === null) return 'n/a';
  const digits = Math.min(a, b) < 0.1 ? 3 : 2;
  return `${Math.min(a, b).toFixed(digits)}–${Math.max(a, b).toFixed(digits)}`;
}

export function formatRate(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function formatPercent(value: number): string {
  return value === 0 ? '0%' : `${(value * 100).toFixed(value < 0.001 ? 4 : 2)}%`;
}

export function formatMs(value: number): string {
  return `${value.toFixed(value < 10 ? 1 : 0)} ms`;
}

export function formatOptional(value: number | null, digits = 2): string {
  return value === null ? 'n/a' : value.toFixed(digits);
}

export function formatErrors(total: number, byStatus: Readonly<Record<string, number>>): string {
  if (total === 0) return '0';
  const parts = Object.entries(byStatus)
    .sort((a, b) => b[1] - a[1])
    .map(([key, count]) => `${key}:${count}`);
  return `${total} (${parts.join(' ')})`;
}
