import { formatMs } from '../format';
import { escapeXml } from '../svg-chart';
import { FAULT_IDS } from './fault-driver';
import { FaultResult } from './fault-result';

const CLEAN = '#d5f5e3';
const DIRTY = '#f1948a';
const ABSENT = '#eeeeee';

function columnLabel(fault: string, fencing: boolean, both: boolean): string {
  return both ? `${fault} · fencing ${fencing ? 'on' : 'off'}` : fault;
}

function hoverText(cell: FaultResult): string {
  const errors = Object.entries(cell.errorsByStatus).map(([status, count]) => `${status}: ${count}`);
  return [
    `${cell.strategy} × ${cell.fault}, fencing ${cell.fencing ? 'on' : 'off'}`,
    `${cell.orders} orders of ${cell.requests} requests, p50 ${formatMs(cell.p50)}, p99 ${formatMs(cell.p99)}`,
    `answers other than 201: ${errors.length === 0 ? 'none' : errors.join(', ')}; hung: ${cell.hung}`,
    `recovery of the replica hit: ${cell.recoverMs === null ? 'no order from it after the fault' : formatMs(cell.recoverMs)}`,
    `checker: ${cell.checker.issuedDuplicates} duplicates issued, ${cell.checker.deliveredDuplicates} delivered, ` +
      `${cell.checker.overlaps} overlapping leases`,
    cell.note,
  ].join('\n');
}

/**
 * The matrix as a heat map: a row per strategy, a column per fault (split by fencing where both
 * ran), each cell the duplicates the client received, green at 0 and red otherwise, with the
 * rest (answers by status, recovery, the checker's counts) on hover.
 */
export function renderFaultHeatMap(cells: readonly FaultResult[]): string {
  if (cells.length === 0) return '<p>No fault was measured.</p>';
  const strategies = [...new Set(cells.map((cell) => cell.strategy))];
  const columns = FAULT_IDS.flatMap((fault) => {
    const fencings = [true, false].filter((fencing) => cells.some((cell) => cell.fault === fault && cell.fencing === fencing));
    return fencings.map((fencing) => ({ fault, fencing, label: columnLabel(fault, fencing, fencings.length > 1) }));
  });
  const header = `<tr><th>strategy</th>${columns.map((column) => `<th>${escapeXml(column.label)}</th>`).join('')}</tr>`;
  const rows = strategies.map((strategy) => {
    const tds = columns.map(({ fault, fencing }) => {
      const cell = cells.find((c) => c.strategy === strategy && c.fault === fault && c.fencing === fencing);
      if (!cell) return `<td style="background:${ABSENT}" title="not run">–</td>`;
      const dirty = cell.duplicates > 0 || cell.checker.issuedDuplicates > 0;
      const text = cell.checker.issuedDuplicates > cell.duplicates ? `${cell.duplicates} (${cell.checker.issuedDuplicates} issued)` : String(cell.duplicates);
      return `<td style="background:${dirty ? DIRTY : CLEAN}" title="${escapeXml(hoverText(cell))}">${escapeXml(text)}</td>`;
    });
    return `<tr><td>${escapeXml(strategy)}</td>${tds.join('')}</tr>`;
  });
  return [
    '<table class="heat-map">',
    `<thead>${header}</thead>`,
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
    '<p>Each cell: duplicates the load client received (and, in brackets, issued by the replicas when more); ' +
      'green 0, red otherwise; grey not run. Hover a cell for answers by status, recovery time and the history checker.</p>',
  ].join('\n');
}
