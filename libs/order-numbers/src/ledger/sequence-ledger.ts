import Redis from 'ioredis';
import { asRedisUnavailable, fencedAppend, fencedGet, FencedReply, fencedSet, parseFencedReply } from '@app/redis';
import { StaleTokenError } from '../errors';
import { decodeMark, encodeMark, Mark } from './mark';

/** A fencing token and the lock family it comes from (tokens of different locks are not comparable). */
export interface Fence {
  family: string;
  token: number;
}

/**
 * The sequence ledger in Redis: one high-water mark per business line. Reads and writes are a
 * plain GET and SET, so the read-compute-write above them is not atomic and only the lock keeps
 * two replicas apart. With a fence, the ledger also refuses holders older than the newest it has seen.
 */
export class SequenceLedger {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  markKey(businessId: number): string {
    return `${this.keyPrefix}ledger:${businessId}`;
  }

  async read(businessId: number, fence?: Fence): Promise<Mark | null> {
    const key = this.markKey(businessId);
    if (!fence) return decodeMark(await this.plain(key, () => this.redis.get(key)));
    const reply = await this.fenced(key, fence, () => fencedGet.run(this.redis, [key, this.fenceKey(businessId, fence)], [fence.token]));
    return decodeMark(reply.outcome === 'ok' ? reply.value : null);
  }

  async write(businessId: number, mark: Mark, fence?: Fence): Promise<void> {
    const key = this.markKey(businessId);
    const value = encodeMark(mark);
    if (fence)
      await this.fenced(key, fence, () => fencedSet.run(this.redis, [key, this.fenceKey(businessId, fence)], [fence.token, value]));
    else await this.plain(key, () => this.redis.set(key, value));
  }

  /**
   * Appends `values` to `list` and moves the mark from `expected` to `next`, both or neither; the
   * pre-generated pools are filled this way. Returns false when the mark moved meanwhile.
   */
  async append(businessId: number, list: string, expected: Mark | null, next: Mark, values: string[], fence: Fence): Promise<boolean> {
    const key = this.markKey(businessId);
    const keys = [list, key, this.fenceKey(businessId, fence)];
    const args = [fence.token, expected ? encodeMark(expected) : '', encodeMark(next), ...values];
    const reply = await this.fenced(key, fence, () => fencedAppend.run(this.redis, keys, args));
    return reply.outcome === 'ok';
  }

  private fenceKey(businessId: number, fence: Fence): string {
    return `${this.keyPrefix}fence:${fence.family}:${businessId}`;
  }

  private async plain<T>(key: string, command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw asRedisUnavailable(error, `ledger ${key}`);
    }
  }

  /** Runs a fenced script; a stale token becomes `StaleTokenError`, a `moved` refusal is the caller's to read. */
  private async fenced(key: string, fence: Fence, command: () => Promise<unknown>): Promise<Exclude<FencedReply, { outcome: 'stale' }>> {
    let reply: FencedReply;
    try {
      reply = parseFencedReply(await command());
    } catch (error) {
      throw asRedisUnavailable(error, `ledger ${key}`);
    }
    if (reply.outcome === 'stale') throw new StaleTokenError(fence.token, reply.highest, key);
    return reply;
  }
}
