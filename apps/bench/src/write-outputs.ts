import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderReportHtml } from './report-html';
import { BenchResults } from './results';

export interface OutputFiles {
  resultsJson: string;
  reportHtml: string;
  /** Per strategy: every order number returned in the measured run, one per line, in arrival order. */
  orders: Record<string, string>;
}

export function ordersFileName(strategy: string): string {
  return `orders-${strategy}.txt`;
}

/** Raw numbers are kept so that anyone can recount the duplicates without trusting the bench. */
export async function writeOrderNumbers(outDir: string, strategy: string, orderNumbers: readonly string[]): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, ordersFileName(strategy));
  await writeFile(file, orderNumbers.length === 0 ? '' : `${orderNumbers.join('\n')}\n`);
  return file;
}

export async function writeReports(outDir: string, results: BenchResults): Promise<Omit<OutputFiles, 'orders'>> {
  await mkdir(outDir, { recursive: true });
  const resultsJson = path.join(outDir, 'results.json');
  const reportHtml = path.join(outDir, 'report.html');
  await writeFile(resultsJson, `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(reportHtml, renderReportHtml(results));
  return { resultsJson, reportHtml };
}
