/** How many `<epoch>:<business ID>` reads are remembered (older epochs' are of no further use). */
const REMEMBERED = 64;

/**
 * What a strategy reads once per epoch and business line at a switch (the other number families'
 * marks, fenced by the epoch): callers of one key share one read, a failed read is forgotten so the
 * next request reads again, and a value once read is `known` without an await — the hot path of
 * a strategy that serves from memory.
 */
export class HandoverReads<T> {
  private readonly reads = new Map<string, Promise<T>>();
  private readonly values = new Map<string, T>();

  constructor(private readonly read: (epoch: number, businessId: number) => Promise<T>) {}

  /** The value read for this epoch and line, if its read has finished. */
  known(epoch: number, businessId: number): T | undefined {
    return this.values.get(keyOf(epoch, businessId));
  }

  /** The value, read now unless a read of this key is under way or done. */
  get(epoch: number, businessId: number): Promise<T> {
    const key = keyOf(epoch, businessId);
    let read = this.reads.get(key);
    if (!read) {
      const started = this.read(epoch, businessId);
      read = started;
      this.reads.set(key, started);
      started.then(
        (value) => this.reads.get(key) === started && this.values.set(key, value),
        () => this.reads.delete(key), // read again by the next request
      );
      if (this.reads.size > REMEMBERED) {
        const oldest = this.reads.keys().next().value as string;
        this.reads.delete(oldest);
        this.values.delete(oldest);
      }
    }
    return read;
  }
}

function keyOf(epoch: number, businessId: number): string {
  return `${epoch}:${businessId}`;
}
