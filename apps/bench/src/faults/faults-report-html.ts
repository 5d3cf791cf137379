import { escapeXml } from '../svg-chart';
import { FAULT_IDS } from './fault-driver';
import { renderFaultHeatMap } from './fault-heat-map';
import { FAULT_WINDOWS } from './fault-windows';
import { FaultsResults } from './faults-results';

/** The part the bench's report.html embeds too (`npm run demo`). */
export function renderFaultsSection(results: Pick<FaultsResults, 'faults' | 'settings' | 'problems'>): string {
  const { settings } = results;
  const faults = FAULT_IDS.filter((fault) => results.faults.some((cell) => cell.fault === fault));
  const problems =
    results.problems.length === 0
      ? '<p class="ok">No duplicate with fencing on; the history checker agrees with the client in every cell; no request hung.</p>'
      : `<ul class="problems">${results.problems.map((p) => `<li>${escapeXml(p)}</li>`).join('')}</ul>`;
  return `<h2>Under faults</h2>
<p>One replica of ${settings.replicas} (order-1) is hit while ${settings.connections} connections load the gateway. Every fault keeps it
away ${settings.holdMs} ms, past the Redis lock's TTL (${settings.lockTtlMs} ms) and the ZooKeeper session (${settings.zkSessionTimeoutMs} ms).
Each business line's mark is set ten minutes ahead before each cell, so every number is "that millisecond, next sequence" and a
mark that a stale write rolls back is issued again, rather than hidden behind a new millisecond by luck.
Every replica records what it issued under which lease; a checker outside them counts duplicates issued, duplicates
delivered (which must equal the client's count) and overlapping leases.</p>
${problems}
${renderFaultHeatMap(results.faults)}
<ul>${faults.map((fault) => `<li><b>${fault}</b>: ${escapeXml(FAULT_WINDOWS[fault])}</li>`).join('\n')}</ul>`;
}

/** report.html of `npm run faults`: self-contained, like the bench's (the machines it is read on are offline). */
export function renderFaultsReportHtml(results: FaultsResults): string {
  const { machine } = results;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>ordernum strategies under faults</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; max-width: 1100px; }
table { border-collapse: collapse; margin: 1em 0; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: center; }
td:first-child { text-align: left; }
.problems li { color: #c0392b; font-weight: bold; }
.ok { color: #1e8449; }
</style>
</head>
<body>
<h1>ordernum: order-number strategies under faults</h1>
${renderFaultsSection(results)}
<h2>Machine</h2>
<ul>
<li>${machine.cores} cores, ${escapeXml(machine.cpuModel)}, ${machine.memoryGiB} GiB; ${escapeXml(machine.platform)}, Node ${escapeXml(machine.node)}</li>
<li>measured ${escapeXml(machine.date)}, the whole matrix in ${(results.durationMs / 1000).toFixed(0)} s</li>
</ul>
</body>
</html>
`;
}
