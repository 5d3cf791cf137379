import Redis from 'ioredis';
import Redlock from 'redlock';
import { LogSink } from '@app/zookeeper';
import { LockBackendError, LockLostError, LockTimeoutError } from './errors';
import { AcquireOptions, DistributedLock, Lease, LockStats } from './lock';

/** node-redlock's retry pause, and half of it as jitter: about what our own Redis lock used to wait. */
const RETRY_DELAY_MS = 10;
const RETRY_JITTER_MS = 5;

/**
 * The lock a Node user reaches for first: npm `redlock` 4.2.0 (5.x is still a beta) on the one
 * Redis of the cluster, kept as a reference row beside our own Redis lock. Used as its README
 * shows, except that its retry pause is cut from 200 ms to ours, so the comparison measures the
 * algorithm and not a default.
 *
 * It is UNFENCED: Redlock hands out no token, so a holder paused past its TTL writes the ledger
 * unchecked after another holder took over (`fencing = false`; DESIGN §3). The watchdog renews
 * the TTL with `extend` and aborts `lost` when it cannot, but a paused process cannot notice in
 * time. It is therefore not one of `UNIQUE_STRATEGIES`: no duplicate is promised across a switch
 * or a pause, only while every holder finishes within its TTL.
 */
export class RedlockLock implements DistributedLock {
  readonly kind = 'redlock';
  readonly backend = 'Redis';
  readonly fencing = false;
  readonly stats = new LockStats();
  private readonly redlock: Redlock;
  private lastClientError: Error | undefined;

  constructor(
    redis: Redis,
    /** e.g. `ordernum:` */
    private readonly keyPrefix: string,
    private readonly logger?: LogSink,
  ) {
    // retryCount 0: a failed renewal must not retry past the TTL, and acquire paces its own attempts.
    this.redlock = new Redlock([redis], { driftFactor: 0.01, retryCount: 0, retryDelay: RETRY_DELAY_MS, retryJitter: RETRY_JITTER_MS });
    // Redlock counts a failed server as a "no" vote and only reports it here.
    this.redlock.on('clientError', (error: Error) => (this.lastClientError = error));
  }

  async acquire(resource: string, { waitMs, ttlMs }: AcquireOptions): Promise<Lease> {
    const key = `${this.keyPrefix}redlock:${resource}`;
    const deadline = Date.now() + waitMs;
    // Redlock's own retries are bounded by a count, not a time: its attempts are used one at a
    // time (retryCount 0) with its pause between them, until the wait is over.
    for (;;) {
      this.lastClientError = undefined;
      try {
        const lock = await this.redlock.lockWithOptions(key, ttlMs, { retryCount: 0 });
        this.stats.acquisitions += 1;
        return this.lease(resource, lock, ttlMs);
      } catch (error) {
        const backendError = this.lastClientError;
        if (backendError) throw new LockBackendError(resource, this.kind, { cause: backendError });
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw new LockTimeoutError(resource, waitMs, this.kind, { cause: error });
        const pause = RETRY_DELAY_MS + (Math.random() * 2 - 1) * RETRY_JITTER_MS;
        await new Promise((resolve) => setTimeout(resolve, Math.min(remaining, pause)));
      }
    }
  }

  private lease(resource: string, lock: Redlock.Lock, ttlMs: number): Lease {
    const controller = new AbortController();
    const loseLock = (reason: string) => {
      if (controller.signal.aborted) return;
      clearInterval(renewal);
      clearTimeout(expiry);
      controller.abort(new LockLostError(resource, this.kind, reason));
    };
    // `expiration` is Redlock's own: the TTL from the attempt's start, less its drift allowance.
    const expireAt = () => setTimeout(() => loseLock(`TTL of ${ttlMs} ms passed without renewal`), Math.max(0, lock.expiration - Date.now()));
    let expiry = expireAt();
    const renewal: NodeJS.Timeout = setInterval(() => {
      lock.extend(ttlMs).then(
        () => {
          clearTimeout(expiry);
          expiry = expireAt();
        },
        (error: Error) => loseLock(`renewal failed: ${error.message}`),
      );
    }, Math.max(10, Math.floor(ttlMs / 3)));
    return {
      resource,
      token: undefined,
      lost: controller.signal,
      release: async () => {
        clearInterval(renewal);
        clearTimeout(expiry);
        try {
          await lock.unlock();
        } catch (error) {
          // Not rethrown: the TTL frees the key anyway, and the holder's result stands.
          this.logger?.warn(`could not release ${String(lock.resource)}; its TTL will: ${(error as Error).message}`);
        }
      },
    };
  }
}
