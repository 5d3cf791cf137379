/**
 * DESIGN §3's fault: a critical section blocks the whole process (event loop included, like a
 * stop-the-world GC pause) for M ms while the lock is held: every N-th one, and the next one
 * after `arm()` (SIGUSR2 to a replica), which is how a fault run puts one pause in each of its
 * cells whatever the rate. `Atomics.wait` is the one way to block a Node thread without burning CPU.
 */
export class FaultInjector {
  private count = 0;
  private armed = false;
  private readonly cell = new Int32Array(new SharedArrayBuffer(4));

  constructor(
    private readonly every: number,
    private readonly pauseMs: number,
  ) {}

  /** Whether any pause can happen: M is set (N may be 0, and then only an armed pause happens). */
  get enabled(): boolean {
    return this.pauseMs > 0;
  }

  /** The next critical section pauses, once; nothing when disabled. */
  arm(): void {
    if (this.enabled) this.armed = true;
  }

  /** Call inside the critical section; returns true if it paused. */
  maybePause(): boolean {
    if (!this.enabled) return false;
    this.count += 1;
    const due = this.armed || (this.every > 0 && this.count % this.every === 0);
    if (!due) return false;
    this.armed = false;
    Atomics.wait(this.cell, 0, 0, this.pauseMs);
    return true;
  }
}
