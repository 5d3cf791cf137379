import Redis from 'ioredis';
import { abortable } from '@app/locks';
import { asRedisUnavailable, fencedAppend, fencedGet, FencedReply, FencePosition, fencedRaise, fencedSet, parseFencedReply } from '@app/redis';
import { UnavailableError } from '@app/errors';
import { EpochSupersededError, MarkMovedError, StaleTokenError } from '../errors';
import { decodeMark, encodeMark, Mark } from './mark';

/**
 * Where a fenced caller stands (DESIGN §3): the epoch it started under, then its lock's token. One
 * fence per business line serves every lock family and the pool master alike.
 */
export type Fence = FencePosition;

/** The request's deadline passed while Redis had not answered. */
export class LedgerDeadlineError extends UnavailableError {
  constructor(readonly key: string) {
    super(`Redis did not answer for ${key} before the request's deadline`);
  }
}

/**
 * The sequence ledger in Redis: one high-water mark per business line, plus the bound of the
 * milliseconds snowflake workers have reserved. Mark reads and writes are a GET and a SET, so the
 * read-compute-write above them is not atomic and only the lock keeps two replicas apart. With a
 * fence, the ledger also refuses holders older than the newest it has seen, and a fenced write
 * never moves a mark backwards. Every command gives up when the request's `signal` is aborted.
 */
export class SequenceLedger {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  markKey(businessId: number): string {
    return `${this.keyPrefix}ledger:${businessId}`;
  }

  async read(businessId: number, fence?: Fence, signal?: AbortSignal): Promise<Mark | null> {
    const key = this.markKey(businessId);
    if (!fence) return decodeMark(await this.plain(key, signal, () => this.redis.get(key)));
    const keys = [key, this.fenceKey(businessId)];
    const reply = await this.fenced(key, fence, signal, () => fencedGet.run(this.redis, keys, [fence.epoch, fence.token]));
    return decodeMark(reply.outcome === 'ok' ? reply.value : null);
  }

  /**
   * Writes `mark`. Fenced with a real token (non-zero), it is refused (`MarkMovedError`) if the
   * stored mark is already past it; a tokenless fence is checked by epoch only.
   */
  async write(businessId: number, mark: Mark, fence?: Fence, signal?: AbortSignal): Promise<void> {
    const key = this.markKey(businessId);
    const value = encodeMark(mark);
    if (!fence) {
      await this.plain(key, signal, () => this.redis.set(key, value));
      return;
    }
    // Only a real token forbids moving back: tokenless guards show what they do inside one epoch.
    const args = [fence.epoch, fence.token, value, fence.token > 0 ? '1' : ''];
    const reply = await this.fenced(key, fence, signal, () => fencedSet.run(this.redis, [key, this.fenceKey(businessId)], args));
    if (reply.outcome === 'moved') throw new MarkMovedError(key, reply.current);
  }

  /**
   * Appends `values` to `list` and moves the mark from `expected` to `next`, both or neither; the
   * pre-generated pools are filled this way. Returns false when the mark moved meanwhile.
   */
  async append(businessId: number, list: string, expected: Mark | null, next: Mark, values: string[], fence: Fence): Promise<boolean> {
    const key = this.markKey(businessId);
    const keys = [list, key, this.fenceKey(businessId)];
    const args = [fence.epoch, fence.token, expected ? encodeMark(expected) : '', encodeMark(next), ...values];
    const reply = await this.fenced(key, fence, undefined, () => fencedAppend.run(this.redis, keys, args));
    return reply.outcome === 'ok';
  }

  /**
   * The last millisecond any snowflake worker may have used, read under `epoch` (token 0): from
   * then on no snowflake worker of an older epoch can reserve past it, so the ledger family can
   * start above it (the hand-over of DESIGN §3). 0 when snowflake never ran.
   */
  async snowflakeBound(epoch: number, signal?: AbortSignal): Promise<number> {
    const key = this.snowflakeKey();
    const reply = await this.fenced(key, { epoch, token: 0 }, signal, () => fencedGet.run(this.redis, [key, `${key}:fence`], [epoch, 0]));
    return decodeMark(reply.outcome === 'ok' ? reply.value : null)?.ms ?? 0;
  }

  /**
   * The last millisecond of any `db-segment` segment, read under `epoch` (token 0) like the
   * snowflake bound: the ledger family and snowflake start above it, and no segment of an older
   * epoch is used past it afterwards. 0 when db-segment never ran.
   */
  async segmentBound(epoch: number, signal?: AbortSignal): Promise<number> {
    const key = this.segmentKey();
    const reply = await this.fenced(key, { epoch, token: 0 }, signal, () => fencedGet.run(this.redis, [key, `${key}:fence`], [epoch, 0]));
    return decodeMark(reply.outcome === 'ok' ? reply.value : null)?.ms ?? 0;
  }

  /** Raises the segment bound to `ms` under `epoch` before a segment ending there is used; refused once a newer epoch read it. */
  async raiseSegmentBound(epoch: number, ms: number): Promise<void> {
    const key = this.segmentKey();
    const keys = [key, `${key}:fence`, key];
    await this.fenced(key, { epoch, token: 0 }, undefined, () => fencedRaise.run(this.redis, keys, [epoch, 0, encodeMark({ ms, seq: 0 })]));
  }

  /** What the other number families have reached, for the ledger family under `epoch`: above both bounds. */
  async ledgerFamilyFloor(epoch: number, signal?: AbortSignal): Promise<number> {
    const [snowflake, segment] = await Promise.all([this.snowflakeBound(epoch, signal), this.segmentBound(epoch, signal)]);
    return Math.max(snowflake, segment);
  }

  /** One worker ID's own bound, unfenced: a new lessee's floor when ZooKeeper lost the worker's record. */
  async workerBound(workerId: number): Promise<number> {
    const key = this.snowflakeKey(workerId);
    return decodeMark(await this.plain(key, undefined, () => this.redis.get(key)))?.ms ?? 0;
  }

  /** Raises worker `workerId`'s bound, and the snowflake bound, to `ms` under `epoch`; refused once a newer epoch has read it. */
  async raiseSnowflakeBound(epoch: number, workerId: number, ms: number, signal?: AbortSignal): Promise<void> {
    const key = this.snowflakeKey();
    const keys = [key, `${key}:fence`, this.snowflakeKey(workerId)];
    await this.fenced(key, { epoch, token: 0 }, signal, () => fencedRaise.run(this.redis, keys, [epoch, 0, encodeMark({ ms, seq: 0 })]));
  }

  private fenceKey(businessId: number): string {
    return `${this.keyPrefix}fence:${businessId}`;
  }

  private segmentKey(): string {
    return `${this.keyPrefix}segment-bound`;
  }

  private snowflakeKey(workerId?: number): string {
    return workerId === undefined ? `${this.keyPrefix}snowflake-bound` : `${this.keyPrefix}snowflake-bound:${workerId}`;
  }

  private async plain<T>(key: string, signal: AbortSignal | undefined, command: () => Promise<T>): Promise<T> {
    try {
      return await abortable(command(), signal, () => new LedgerDeadlineError(key));
    } catch (error) {
      if (error instanceof LedgerDeadlineError) throw error;
      throw asRedisUnavailable(error, `ledger ${key}`);
    }
  }

  /** Runs a fenced script; a stale position becomes `StaleTokenError` (`EpochSupersededError` for an older epoch). */
  private async fenced(key: string, fence: Fence, signal: AbortSignal | undefined, command: () => Promise<unknown>): Promise<Exclude<FencedReply, { outcome: 'stale' }>> {
    const reply = parseFencedReply(await this.plain(key, signal, command));
    if (reply.outcome !== 'stale') return reply;
    if (reply.highest.epoch > fence.epoch) throw new EpochSupersededError(fence, reply.highest, key);
    throw new StaleTokenError(fence, reply.highest, key);
  }
}
