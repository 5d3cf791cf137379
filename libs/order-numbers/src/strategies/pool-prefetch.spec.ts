import { BatchPop, PoolPrefetch } from './pool-prefetch';

/** A pool of consecutive numbers whose batch pops are answered only when the test says so. */
function heldPool() {
  let next = 0;
  const pending: Array<() => void> = [];
  const pops: number[] = [];
  const popBatch = (_businessId: number, count: number) =>
    new Promise<BatchPop>((resolve) => {
      pops.push(count);
      pending.push(() => resolve({ outcome: 'ok', values: Array.from({ length: count }, () => String(next++).padStart(4, '0')) }));
    });
  return { popBatch, pops, answer: () => pending.splice(0).forEach((resolve) => resolve()) };
}

describe('PoolPrefetch', () => {
  it('serves from memory and refills in the background once below the threshold, one refill at a time', async () => {
    const pool = heldPool();
    const sut = new PoolPrefetch(pool.popBatch, { batch: 4, refillBelow: 2 });
    const first = sut.take(1, AbortSignal.timeout(5000));
    expect(pool.pops).toEqual([4]); // one refill for an empty buffer
    pool.answer();
    expect(await first).toMatchObject({ outcome: 'ok', value: '0000' });
    expect(await sut.take(1, AbortSignal.timeout(5000))).toMatchObject({ outcome: 'ok', value: '0001' });
    // 2 left → 1 left: below the threshold, a refill starts while the request is served from memory.
    expect(await sut.take(1, AbortSignal.timeout(5000))).toMatchObject({ outcome: 'ok', value: '0002' });
    expect(pool.pops).toEqual([4, 4]);
    expect(await sut.take(1, AbortSignal.timeout(5000))).toMatchObject({ outcome: 'ok', value: '0003' });
    expect(pool.pops).toEqual([4, 4]); // the refill in flight is shared, not repeated
    pool.answer();
    expect(await sut.take(1, AbortSignal.timeout(5000))).toMatchObject({ outcome: 'ok', value: '0004' });
  });

  it('takeReady serves from memory without waiting, and starts the refill an empty buffer needs', async () => {
    const pool = heldPool();
    const sut = new PoolPrefetch(pool.popBatch, { batch: 4, refillBelow: 2 });
    expect(sut.takeReady(1)).toBeUndefined(); // nothing buffered yet: the caller must wait (take)
    expect(pool.pops).toEqual([4]);
    pool.answer();
    await Promise.resolve();
    await Promise.resolve();
    expect([sut.takeReady(1), sut.takeReady(1), sut.takeReady(1)]).toEqual(['0000', '0001', '0002']);
    expect(pool.pops).toEqual([4, 4]); // below 2 left after the third: one refill, in the background
  });

  it('hands nothing out after a discard, not even what a refill in flight brings', async () => {
    const pool = heldPool();
    const sut = new PoolPrefetch(pool.popBatch, { batch: 4, refillBelow: 4 });
    const first = sut.take(1, AbortSignal.timeout(5000));
    pool.answer();
    await first;
    expect(sut.buffered(1)).toBe(3);
    sut.discard();
    expect(sut.buffered(1)).toBe(0);
    pool.answer(); // the refill started before the discard delivers into the dropped buffer
    const next = sut.take(1, AbortSignal.timeout(5000));
    pool.answer();
    expect(await next).toMatchObject({ outcome: 'ok', value: '0008' });
  });

  it('answers "deadline" when the refill it waits for does not come in time', async () => {
    const sut = new PoolPrefetch(() => new Promise<BatchPop>(() => undefined), { batch: 4, refillBelow: 2 });
    expect(await sut.take(1, AbortSignal.timeout(20))).toMatchObject({ outcome: 'deadline' });
  });

  it('passes a failed refill on to the waiting request, and a later request tries again', async () => {
    let calls = 0;
    const sut = new PoolPrefetch(async () => {
      calls += 1;
      if (calls === 1) throw new Error('connection closed');
      return { outcome: 'ok', values: ['a', 'b'] };
    }, { batch: 2, refillBelow: 1 });
    expect(await sut.take(1, AbortSignal.timeout(5000))).toMatchObject({ outcome: 'failed' });
    expect(await sut.take(1, AbortSignal.timeout(5000))).toMatchObject({ outcome: 'ok', value: 'a' });
  });
});
