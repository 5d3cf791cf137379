import Redis from 'ioredis';
import { abortable } from '@app/locks';
import { asRedisUnavailable, parseRunBoundPop, parseRunBoundPopMany, RunBoundPopReply, runBoundPop, runBoundPopMany } from '@app/redis';
import { StrategyUnavailableError } from '../errors';
import { IssueContext, IssuedNumber, OrderNumberStrategy } from './order-number-strategy';
import { BatchPop, PoolPrefetch, PrefetchSettings } from './pool-prefetch';

/**
 * The default local buffer: 64 numbers per round trip, topped up below 32 (Leaf loads the next
 * segment at 10% used, Tinyid at 20%; half leaves a refill's round trip plenty of numbers to
 * cover under load). `batch: 1, refillBelow: 0` turns it off: one LPOP per request, as before.
 */
export const DEFAULT_PREFETCH: PrefetchSettings = { batch: 64, refillBelow: 32 };

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
 * line ahead of need (`PoolFiller`); each replica takes them in batches (`LPOP key count`) into a
 * local buffer per business line (`PoolPrefetch`) and requests take from that buffer. Redis runs
 * pops one at a time, so no two replicas get the same element. The pop refuses pools that a
 * Redis restarted since the master last armed them: a crash may have lost acknowledged pops.
 */
export class PooledStrategy implements OrderNumberStrategy {
  readonly name = 'redis-pregen' as const;
  private readonly prefetch: PoolPrefetch | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    prefetch: PrefetchSettings = DEFAULT_PREFETCH,
  ) {
    this.prefetch = prefetch.batch > 1 ? new PoolPrefetch((businessId, count) => this.popBatch(businessId, count), prefetch) : undefined;
  }

  async next(businessId: number, context: IssueContext): Promise<IssuedNumber> {
    if (!this.prefetch) return this.nextDirect(businessId, context.signal);
    // In steady state the number is in memory: `context.signal` (made on first use) is not needed.
    const ready = this.prefetch.takeReady(businessId);
    return ready !== undefined ? { orderNumber: ready, retries: 0 } : this.nextBuffered(this.prefetch, businessId, context.signal);
  }

  /** Buffered numbers are older than what the next strategy issues: a switch (either way) drops them. */
  discardBuffered(): void {
    this.prefetch?.discard();
  }

  private async nextBuffered(prefetch: PoolPrefetch, businessId: number, signal: AbortSignal): Promise<IssuedNumber> {
    for (let retries = 0; ; ) {
      const taken = await prefetch.take(businessId, signal);
      retries += taken.waits;
      switch (taken.outcome) {
        case 'ok':
          return { orderNumber: taken.value, retries };
        case 'failed':
          throw asRedisUnavailable(taken.error, `LPOP ${poolKey(this.keyPrefix, businessId)} (batch)`);
        case 'deadline':
          throw new StrategyUnavailableError(this.name, `the pool of business line ${businessId} did not answer before the request deadline`);
        default:
          if (signal.aborted) throw this.emptyPool(businessId, taken.outcome);
          retries += 1;
          await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  }

  private async popBatch(businessId: number, count: number): Promise<BatchPop> {
    const keys = [poolKey(this.keyPrefix, businessId), poolRunKey(this.keyPrefix)];
    return parseRunBoundPopMany(await runBoundPopMany.run(this.redis, keys, [count]));
  }

  private emptyPool(businessId: number, outcome: 'empty' | 'new-run'): StrategyUnavailableError {
    const why = outcome === 'new-run' ? 'was filled before Redis restarted and not discarded yet' : 'stayed empty';
    return new StrategyUnavailableError(this.name, `the pool of business line ${businessId} ${why} (is a master elected and filling it?)`);
  }

  private async nextDirect(businessId: number, signal: AbortSignal): Promise<IssuedNumber> {
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
      if (signal.aborted) throw this.emptyPool(businessId, reply.outcome);
      // Empty: the master refills below the low-water mark; a short poll beats a blocking pop,
      // which would stall every other command on this shared connection.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async close(): Promise<void> {
    this.prefetch?.discard(); // unissued buffered numbers are gaps; the Redis client belongs to the caller
  }
}
