import { Clock } from '../clock';
import { Segment } from './segment-ledger';
import { SegmentStep } from './segment-step';

export interface SegmentBufferOptions {
  /** Fetch the next segment in the background once this fraction of the current one is used (Leaf: 0.1). */
  prefetchAt: number;
  /**
   * A segment older than this is replaced before use while the database answers: its numbers carry
   * its allocation time, and an idle line should not issue numbers minutes old. During an outage
   * the old segment is served anyway: old numbers beat no numbers.
   */
  maxAgeMs: number;
  /** How a background prefetch failure is reported (the request that needs the segment reports its own). */
  onPrefetchError(error: Error): void;
}

interface Current extends Segment {
  next: bigint;
}

/**
 * Leaf's double buffer for one business line: the segment being issued from, and the next one,
 * fetched in the background when the current one is partly used, so that in steady state no
 * request waits on the database. Only when both are used up (or too old) does a request wait
 * for an allocation, and it fails with the database's error when there is none to be had.
 */
export class SegmentBuffer {
  private current?: Current;
  private ready?: Segment;
  private loading?: Promise<Current>;
  private lastAllocationAt?: number;
  /** Buffers of an earlier generation are never installed (see `discard`). */
  private generation = 0;
  /** Until then an old segment is served without trying to replace it first (the database just failed). */
  private oldAllowedUntil = 0;
  /** Segments taken from the ledger, for the metrics. */
  allocations = 0;

  constructor(
    private readonly allocate: (size: number) => Promise<Segment>,
    readonly step: SegmentStep,
    private readonly clock: Clock,
    private readonly options: SegmentBufferOptions,
  ) {}

  /** The next position if one is in memory and fresh enough to issue now (no wait), else undefined. */
  takeReady(): bigint | undefined {
    this.promote();
    const segment = this.current;
    if (segment === undefined || segment.next > segment.end) return undefined;
    if (this.tooOld(segment) && this.clock.now() >= this.oldAllowedUntil) return undefined;
    return this.takeFrom(segment);
  }

  /** The next position of this business line; rejects with the allocation's error when the buffers are used up. */
  async take(): Promise<bigint> {
    // After an allocation of its own a request takes what there is: it waited for the database once.
    let loaded = false;
    const generation = this.generation;
    for (;;) {
      this.promote();
      const segment = this.current;
      const usable = segment !== undefined && segment.next <= segment.end;
      if (usable && (loaded || !this.tooOld(segment) || this.clock.now() < this.oldAllowedUntil)) return this.takeFrom(segment);
      try {
        const arrived = await this.load();
        if (generation !== this.generation) return this.takeDetached(arrived);
        loaded = true;
      } catch (error) {
        if (!usable) throw error;
        this.oldAllowedUntil = this.clock.now() + this.options.maxAgeMs;
      }
    }
  }

  /** Forgets both buffers (a strategy switch): their numbers become gaps, never issued. A load in flight is dropped too. */
  discard(): void {
    this.generation += 1;
    this.current = undefined;
    this.ready = undefined;
    this.loading = undefined;
    this.oldAllowedUntil = 0;
  }

  /**
   * A request that was waiting for a segment when the buffers were discarded takes its number from
   * that segment, allocated before the switch and so stamped before it, and the segment goes no
   * further. Looping on would allocate a fresh segment stamped after the switch, in the next
   * family's time.
   */
  private takeDetached(segment: Current): bigint {
    if (segment.next > segment.end) throw new Error('the segment buffers were discarded by a strategy switch');
    const position = segment.next;
    segment.next += 1n;
    return position;
  }

  private takeFrom(segment: Current): bigint {
    const position = segment.next;
    segment.next += 1n;
    const used = Number(segment.next - segment.start) / Number(segment.end - segment.start + 1n);
    if (used >= this.options.prefetchAt && this.ready === undefined && this.loading === undefined) {
      this.load().catch((error: Error) => this.options.onPrefetchError(error));
    }
    return position;
  }

  /** Makes the prefetched segment current when the current one is used up, or too old and the prefetched one is not. */
  private promote(): void {
    const current = this.current;
    if (this.ready === undefined) return;
    const usable = current !== undefined && current.next <= current.end;
    if (usable && (!this.tooOld(current) || this.tooOld(this.ready))) return;
    this.current = { ...this.ready, next: this.ready.start };
    this.ready = undefined;
  }

  private tooOld(segment: Segment): boolean {
    return this.clock.now() - segment.allocatedAtMs > this.options.maxAgeMs;
  }

  /** One allocation at a time per business line; every caller waits for the same one. */
  private load(): Promise<Current> {
    if (this.loading) return this.loading;
    const generation = this.generation;
    const now = this.clock.now();
    const size = this.step.next(this.lastAllocationAt === undefined ? undefined : now - this.lastAllocationAt);
    const loading = this.allocate(size).then(
      (segment) => {
        const arrived = { ...segment, next: segment.start };
        if (generation !== this.generation) return arrived; // for its waiters only (takeDetached)
        this.loading = undefined;
        this.lastAllocationAt = now;
        this.allocations += 1;
        this.ready = segment;
        return arrived;
      },
      (error: unknown) => {
        if (generation === this.generation) this.loading = undefined;
        throw error;
      },
    );
    this.loading = loading;
    return loading;
  }
}
