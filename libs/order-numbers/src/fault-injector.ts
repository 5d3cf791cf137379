/**
 * DESIGN §3's fault: every N-th critical section blocks the whole process (event loop included,
 * like a stop-the-world GC pause) for M ms while the lock is held. `Atomics.wait` is the one way
 * to block a Node thread without burning CPU.
 */
export class FaultInjector {
  private count = 0;
  private readonly cell = new Int32Array(new SharedArrayBuffer(4));

  constructor(
    private readonly every: number,
    private readonly pauseMs: number,
  ) {}

  get enabled(): boolean {
    return this.every > 0 && this.pauseMs > 0;
  }

  /** Call inside the critical section; returns true if it paused. */
  maybePause(): boolean {
    if (!this.enabled) return false;
    this.count += 1;
    if (this.count % this.every !== 0) return false;
    Atomics.wait(this.cell, 0, 0, this.pauseMs);
    return true;
  }
}
