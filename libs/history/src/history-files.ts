import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HistoryRecord, parseHistory } from './history-record';

/** Every replica's history in `dir` (the files HistoryRecorder writes), and how many cut-off lines were dropped. */
export async function readHistories(dir: string): Promise<{ records: HistoryRecord[]; truncated: number; files: number }> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.jsonl')).sort();
  const parsed = await Promise.all(names.map(async (name) => parseHistory(await readFile(join(dir, name), 'utf8'), name)));
  return {
    records: parsed.flatMap((file) => file.records),
    truncated: parsed.reduce((sum, file) => sum + file.truncated, 0),
    files: names.length,
  };
}
