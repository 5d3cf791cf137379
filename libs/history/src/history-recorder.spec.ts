import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalLock, withLock } from '@app/locks';
import { parseHistory } from './history-record';
import { HistoryRecorder } from './history-recorder';

describe('HistoryRecorder', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'history-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one line per issue with the last lease taken for it', async () => {
    const sut = new HistoryRecorder(dir, 'order-1');
    const lock = sut.wrapLock(new LocalLock());
    const issue = (orderNumber: string) =>
      sut.issue('local', 1001, async () => {
        // A first attempt given up (as after a stale token), then the one that issues.
        await withLock(lock, 'business-1001', { waitMs: 100, ttlMs: 100 }, async () => undefined);
        return withLock(lock, 'business-1001', { waitMs: 100, ttlMs: 100 }, async () => ({ orderNumber }));
      });
    await Promise.all([issue('a'), issue('b')]);
    await sut.issue('snowflake', 2001, async () => ({ orderNumber: 'c' }));
    sut.close();

    const { records } = parseHistory(readFileSync(join(dir, 'order-1.jsonl'), 'utf8'), 'order-1.jsonl');
    expect(records.map((record) => record.orderNumber).sort()).toEqual(['a', 'b', 'c']);
    const [a, b] = records.filter((record) => record.lease !== null).map((record) => record.lease!);
    // The local mutex serialized the two issues: their leases do not overlap.
    expect(a.releasedMono <= b.acquiredMono || b.releasedMono <= a.acquiredMono).toBe(true);
    expect(a).toMatchObject({ kind: 'local', resource: 'business-1001', token: null });
    expect(records.find((record) => record.orderNumber === 'c')!.lease).toBeNull();
  });
});
