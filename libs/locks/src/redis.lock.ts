import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { acquireWithToken, asRedisUnavailable, compareAndDelete, compareAndExpire } from '@app/redis';
import { LogSink } from '@app/zookeeper';
import { LockBackendError, LockLostError, LockTimeoutError } from './errors';
import { AcquireOptions, DistributedLock, Lease, LockStats } from './lock';
import { AcquireStage, raceDeadline, sleep } from './wait';

/**
 * The single-Redis lock: `SET key value NX PX ttl` with a random value per holder, released by
 * compare-and-delete, retried with jitter. A watchdog renews the TTL while the holder is alive
 * (node-redlock's `using`); if renewal fails, or the TTL could have passed unrenewed, `lost` is
 * aborted. A holder that is paused cannot renew, so its lock passes to another after the TTL:
 * that is what the fencing token (an INCR taken in the same script) is for.
 */
export class RedisLock implements DistributedLock {
  readonly kind = 'redis';
  readonly backend = 'Redis';
  readonly fencing = true;
  readonly stats = new LockStats();

  constructor(
    private readonly redis: Redis,
    /** e.g. `ordernum:` */
    private readonly keyPrefix: string,
    private readonly logger?: LogSink,
  ) {}

  async acquire(resource: string, { waitMs, ttlMs, signal, stage = new AcquireStage() }: AcquireOptions): Promise<Lease> {
    const deadline = Date.now() + waitMs;
    const key = `${this.keyPrefix}lock:${resource}`;
    const value = randomUUID();
    for (let attempt = 0; ; attempt += 1) {
      const sentAt = Date.now();
      let token: unknown;
      try {
        token = await acquireWithToken.run(this.redis, [key, `${this.keyPrefix}lock-token:${resource}`], [value, ttlMs]);
      } catch (error) {
        throw new LockBackendError(resource, this.kind, { cause: asRedisUnavailable(error, 'lock acquire') });
      }
      if (typeof token === 'number') {
        this.stats.acquisitions += 1;
        return this.lease(resource, key, value, token, ttlMs, sentAt);
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0 || signal?.aborted) throw new LockTimeoutError(resource, waitMs, this.kind);
      // Full jitter, growing with the attempts: contenders spread out instead of retrying in step.
      const pause = sleep(Math.min(remaining, Math.random() * Math.min(20, 1 + attempt * 2)));
      await stage.holder(raceDeadline(pause, deadline, undefined, signal));
    }
  }

  private lease(resource: string, key: string, value: string, token: number, ttlMs: number, sentAt: number): Lease {
    const controller = new AbortController();
    const loseLock = (reason: string) => {
      if (controller.signal.aborted) return;
      clearInterval(renewal); // nothing left to renew
      clearTimeout(expiry);
      controller.abort(new LockLostError(resource, this.kind, reason));
    };
    // Without a successful renewal the key may be gone once the TTL passes. The TTL is counted from
    // when the command was sent (Redis may have started it then), less a margin for clock drift.
    const validUntil = (from: number) => from + ttlMs - Math.ceil(ttlMs * 0.01) - 2;
    const expireAt = (until: number) =>
      setTimeout(() => loseLock(`TTL of ${ttlMs} ms passed without renewal`), Math.max(0, until - Date.now()));
    let expiry = expireAt(validUntil(sentAt));
    const renewal: NodeJS.Timeout = setInterval(() => {
      const renewSentAt = Date.now();
      compareAndExpire.run(this.redis, [key], [value, ttlMs]).then(
        (extended) => {
          if (extended !== 1) return loseLock('the key was taken over or expired');
          clearTimeout(expiry);
          expiry = expireAt(validUntil(renewSentAt));
        },
        (error: Error) => loseLock(`renewal failed: ${error.message}`),
      );
    }, Math.max(10, Math.floor(ttlMs / 3)));
    return {
      resource,
      token,
      lost: controller.signal,
      release: async () => {
        clearInterval(renewal);
        clearTimeout(expiry);
        try {
          await compareAndDelete.run(this.redis, [key], [value]);
        } catch (error) {
          // Not rethrown: the TTL frees the key anyway, and the holder's result stands.
          this.logger?.warn(`could not release ${key}; its TTL will: ${(error as Error).message}`);
        }
      },
    };
  }
}
