import Redis from 'ioredis';
import { abortable } from '@app/locks';
import { asRedisUnavailable, parseRunBoundPop, RunBoundPopReply, runBoundPop } from '@app/redis';
import { StrategyUnavailableError } from '../errors';
import { IssueContext, IssuedNumber, OrderNumberStrategy } from './order-number-strategy';

/** The Redis list holding a business line's pre-generated numbers (shared with `PoolFiller`). */
export function poolKey(keyPrefix: string, businessId: number): string {
  return `${keyPrefix}pool:${businessId}`;
}

/** The Redis run the pools were armed in (see `runBoundPop`): pools of an earlier run are never read. */
export function poolRunKey(keyPrefix: string): string {
  return `${keyPrefix}pool-run`;
}

/**
 * `redis-pregen`: no lock on the hot path. The elected master fills one Redis list per business
 * line ahead of need (`PoolFiller`); each request takes one number with LPOP, which Redis runs
 * one at a time, so no two requests can get the same element. The pop refuses pools that a
 * Redis restarted since the master last armed them: a crash may have lost acknowledged pops.
 */
export class PooledStrategy implements OrderNumberStrategy {
  readonly name = 'redis-pregen' as const;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  async next(businessId: number, { signal }: IssueContext): Promise<IssuedNumber> {
    const key = poolKey(this.keyPrefix, businessId);
    const tooLate = () => new StrategyUnavailableError(this.name, `no answer from Redis for ${key} before the request's deadline`);
    for (let waits = 0; ; waits += 1) {
      let reply: RunBoundPopReply;
      try {
        // A pop that lands after we gave up loses one number: a gap, never a duplicate.
        reply = parseRunBoundPop(await abortable(runBoundPop.run(this.redis, [key, poolRunKey(this.keyPrefix)], []), signal, tooLate));
      } catch (error) {
        if (error instanceof StrategyUnavailableError) throw error;
        throw asRedisUnavailable(error, `LPOP ${key}`);
      }
      if (reply.outcome === 'ok') return { orderNumber: reply.value, retries: waits };
      if (signal.aborted) {
        const why = reply.outcome === 'new-run' ? 'was filled before Redis restarted and not discarded yet' : 'stayed empty';
        throw new StrategyUnavailableError(this.name, `the pool of business line ${businessId} ${why} (is a master elected and filling it?)`);
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
