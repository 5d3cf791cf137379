import { FaultInjector } from './fault-injector';

const PAUSE_MS = 30;

describe('FaultInjector', () => {
  it.each([
    [3, 0],
    [0, 0],
  ])('is disabled with every=%i, pauseMs=%i and never pauses, armed or not', (every, pauseMs) => {
    const sut = new FaultInjector(every, pauseMs);
    expect(sut.enabled).toBe(false);
    sut.arm();
    expect(Array.from({ length: 10 }, () => sut.maybePause())).not.toContain(true);
  });

  it('is enabled once pauseMs is set, and with every=0 pauses only when armed', () => {
    const sut = new FaultInjector(0, 1);
    expect(sut.enabled).toBe(true);
    expect(Array.from({ length: 10 }, () => sut.maybePause())).not.toContain(true);
  });

  it('pauses the next call once after arm(), then no more', () => {
    const sut = new FaultInjector(0, 1);
    sut.maybePause();
    sut.arm();
    expect(Array.from({ length: 4 }, () => sut.maybePause())).toEqual([true, false, false, false]);
  });

  it('keeps its every-N-th cadence around an armed pause', () => {
    const sut = new FaultInjector(3, 1);
    sut.arm();
    const pauses = Array.from({ length: 6 }, () => sut.maybePause());
    expect(pauses).toEqual([true, false, true, false, false, true]);
  });

  it('pauses exactly every N-th call', () => {
    const sut = new FaultInjector(3, 1);
    const pauses = Array.from({ length: 10 }, () => sut.maybePause());
    expect(pauses).toEqual([false, false, true, false, false, true, false, false, true, false]);
  });

  it('pauses every call with every=1', () => {
    const sut = new FaultInjector(1, 1);
    expect(Array.from({ length: 4 }, () => sut.maybePause())).toEqual([true, true, true, true]);
  });

  // Synchronous on purpose: the pause must hold the whole thread, as a stop-the-world GC would.
  it('blocks the thread for at least pauseMs on a paused call', () => {
    const sut = new FaultInjector(2, PAUSE_MS);
    expect(sut.maybePause()).toBe(false);
    const before = Date.now();
    expect(sut.maybePause()).toBe(true);
    expect(Date.now() - before).toBeGreaterThanOrEqual(PAUSE_MS);
  });
});
