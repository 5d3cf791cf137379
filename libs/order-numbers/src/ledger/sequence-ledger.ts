import Redis from 'ioredis';
import { asRedisUnavailable, fencedAppend, fencedGet, fencedSet } from '@app/redis';
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
    const text = fence
      ? await this.fenced(key, () => fencedGet.run(this.redis, [key, this.fenceKey(businessId, fence)], [fence.token]))
      : await this.plain(key, () => this.redis.get(key));
    return decodeMark(text as string | null);
  }

  async write(businessId: number, mark: Mark, fence?: Fence): Promise<void> {
    const key = this.markKey(businessId);
    const value = encodeMark(mark);
    if (fence) await this.fenced(key, () => fencedSet.run(this.redis, [key, this.fenceKey(businessId, fence)], [fence.token, value]));
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
    try {
      await this.fenced(key, () => fencedAppend.run(this.redis, keys, args));
      return true;
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('MOVED')) return false;
      throw error;
    }
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

  private async fenced<T>(key: string, command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      const stale = error instanceof Error ? /^STALE (\d+) (\d+)/.exec(error.message) : null;
      if (stale) throw new StaleTokenError(Number(stale[1]), Number(stale[2]), key, { cause: error });
      if (error instanceof Error && error.message.startsWith('MOVED')) throw error;
      throw asRedisUnavailable(error, `ledger ${key}`);
    }
  }
}
