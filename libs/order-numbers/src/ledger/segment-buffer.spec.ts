import { Segment } from './segment-ledger';
import { SegmentBuffer } from './segment-buffer';
import { SegmentStep } from './segment-step';

/** A ledger in memory: hands out consecutive segments, or fails while `down`. */
class FakeLedger {
  end = 999n;
  down = false;
  sizes: number[] = [];

  allocate = async (size: number): Promise<Segment> => {
    await Promise.resolve();
    if (this.down) throw new Error('MariaDB segment of business line 1 failed: connect ECONNREFUSED');
    this.sizes.push(size);
    const start = this.end + 1n;
    this.end += BigInt(size);
    return { start, end: this.end, allocatedAtMs: clock.now() };
  };
}

let nowMs = 1_000_000;
const clock = { now: () => nowMs };

function setup(options: { maxAgeMs?: number } = {}) {
  const ledger = new FakeLedger();
  const errors: Error[] = [];
  const sut = new SegmentBuffer(ledger.allocate, new SegmentStep({ min: 10, max: 80, targetMs: 1000 }), clock, {
    prefetchAt: 0.1,
    maxAgeMs: options.maxAgeMs ?? 10_000,
    onPrefetchError: (error) => errors.push(error),
  });
  return { sut, ledger, errors };
}

async function take(sut: SegmentBuffer, count: number): Promise<bigint[]> {
  const positions: bigint[] = [];
  for (let i = 0; i < count; i += 1) positions.push(await sut.take());
  return positions;
}

describe('SegmentBuffer', () => {
  it('issues consecutive positions, prefetching the next segment once 10% of the current is used', async () => {
    const { sut, ledger } = setup();
    expect(await take(sut, 2)).toEqual([1000n, 1001n]);
    await Promise.resolve();
    expect(ledger.sizes).toHaveLength(2); // the first segment, and the prefetch started by the first take
  });

  it('takeReady issues from memory without waiting, and nothing before a segment is there or once it is too old', async () => {
    const { sut, ledger } = setup({ maxAgeMs: 5000 });
    expect(sut.takeReady()).toBeUndefined();
    expect(ledger.sizes).toEqual([]); // it never starts the first allocation: the request that waits does
    expect(await sut.take()).toBe(1000n);
    expect([sut.takeReady(), sut.takeReady()]).toEqual([1001n, 1002n]);
    nowMs += 5001;
    expect(sut.takeReady()).toBeUndefined(); // stale while the database may answer: take() tries to replace it first
  });

  it('hands out every position once even when requests arrive together', async () => {
    const { sut } = setup();
    const positions = await Promise.all(Array.from({ length: 500 }, () => sut.take()));
    expect(new Set(positions).size).toBe(500);
  });

  it('grows the step under load, within its maximum', async () => {
    const { sut, ledger } = setup();
    await take(sut, 1000);
    expect(ledger.sizes.slice(0, 5)).toEqual([10, 20, 40, 80, 80]);
    expect(Math.max(...ledger.sizes)).toBe(80);
  });

  it('serves from its buffers through a database outage, then fails with the database error', async () => {
    const { sut, ledger, errors } = setup();
    await take(sut, 3); // segment 1000..1009 current, 1010..1029 prefetched
    ledger.down = true;
    const served = await take(sut, 27);
    expect(served[served.length - 1]).toBe(1029n);
    await expect(sut.take()).rejects.toThrow('ECONNREFUSED');
    expect(errors.length).toBeGreaterThan(0);
    ledger.down = false;
    expect(await sut.take()).toBeGreaterThan(1029n);
  });

  it('replaces a segment grown too old while the database answers, and serves it while it does not', async () => {
    const { sut, ledger } = setup({ maxAgeMs: 5000 });
    await take(sut, 1);
    nowMs += 60_000;
    ledger.down = true;
    expect(await sut.take()).toBe(1001n); // old, but old numbers beat none
    ledger.down = false;
    nowMs += 10_000;
    const fresh = await sut.take();
    expect(fresh).toBeGreaterThan(1009n);
  });

  it('serves requests waiting on a discarded load from that segment only, never from a fresh one', async () => {
    const { sut, ledger } = setup();
    const waiting = Promise.all([sut.take(), sut.take()]);
    sut.discard(); // the switch arrives while the first segment is being allocated
    expect(await waiting).toEqual([1000n, 1001n]);
    expect(ledger.sizes).toEqual([10]);
    expect(await sut.take()).toBe(1010n); // a request after the switch starts a segment of its own
  });

  it('forgets both buffers on discard: the next position comes from a new segment', async () => {
    const { sut } = setup();
    await take(sut, 2);
    sut.discard();
    expect(await sut.take()).toBeGreaterThan(1029n);
  });
});
