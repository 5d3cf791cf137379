import Redis from 'ioredis';
import { asRedisUnavailable } from '@app/redis';
import { StrategyUnavailableError } from '../errors';
import { IssuedNumber, OrderNumberStrategy } from './order-number-strategy';

/** The Redis list holding a business line's pre-generated numbers (shared with `PoolFiller`). */
export function poolKey(keyPrefix: string, businessId: number): string {
  return `${keyPrefix}pool:${businessId}`;
}

/**
 * `redis-pregen`: no lock on the hot path. The elected master fills one Redis list per business
 * line ahead of need (`PoolFiller`); each request takes one number with LPOP, which Redis runs
 * one at a time, so no two requests can get the same element.
 */
export class PooledStrategy implements OrderNumberStrategy {
  readonly name = 'redis-pregen' as const;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly settings: () => { requestTimeoutMs: number },
  ) {}

  async next(businessId: number): Promise<IssuedNumber> {
    const deadline = Date.now() + this.settings().requestTimeoutMs;
    const key = poolKey(this.keyPrefix, businessId);
    for (let waits = 0; ; waits += 1) {
      let orderNumber: string | null;
      try {
        orderNumber = await this.redis.lpop(key);
      } catch (error) {
        throw asRedisUnavailable(error, `LPOP ${key}`);
      }
      if (orderNumber !== null) return { orderNumber, retries: waits };
      if (Date.now() >= deadline) {
        throw new StrategyUnavailableError(
          this.name,
          `the pool of business line ${businessId} stayed empty (is a master elected and filling it?)`,
        );
      }
      // Empty: the master refills below the low-water mark; a short poll beats a blocking pop,
      // which would stall every other command on this shared connection.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async close(): Promise<void> {
    // The Redis client belongs to the caller.
  }
}
