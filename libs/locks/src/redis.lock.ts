import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { acquireWithToken, asRedisUnavailable, compareAndExpire, releaseAndAnnounce } from '@app/redis';
import { LogSink } from '@app/zookeeper';
import { LockBackendError, LockLostError, LockTimeoutError } from './errors';
import { AcquireOptions, DistributedLock, Lease, LockStats } from './lock';
import { AcquireStage, raceDeadline } from './wait';
import { RedisReleaseSignals, ReleaseWait } from './redis-release-signals';

export interface RedisLockOptions {
  /**
   * How long a waiter waits for a release notification before it retries anyway (jittered by
   * half): the bound on what a lost notification, or a key that expired instead of being
   * released, costs a waiter.
   */
  fallbackMs?: number;
  /** How long the subscriber connection stays open after the last waiter left. */
  subscriberIdleMs?: number;
  /**
   * How long a release keeps the lock for the process it woke: long enough for a wake-up and a
   * round trip on a busy machine, short enough that a woken process that never comes (paused)
   * holds the others up only that long, once.
   */
  handoffMs?: number;
}

/** One try's outcome: the lease, or who keeps the caller out. */
type Attempt = { lease: Lease } | { heldBy: 'holder' } | { heldBy: 'reservation'; forMs: number };

/** No try made: others of this process wait already, and the holder's release comes to them first. */
const QUEUED_BEHIND_OWN: Attempt = { heldBy: 'holder' };

/**
 * The single-Redis lock: `SET key value NX PX ttl` with a random value per holder, released by
 * compare-and-delete. A waiter does not poll: the processes that found the lock taken stand in
 * line in Redis, oldest first, and the release script wakes the first of them
 * (`RedisReleaseSignals`) and keeps the lock for it `handoffMs`, so the line is served in turn; a
 * waiter retries on its own only after a fallback delay, for the notification that was lost, or
 * once the reservation that kept it out has run out. A watchdog renews the TTL while the holder
 * is alive (node-redlock's `using`); if renewal fails, or the TTL could have passed unrenewed,
 * `lost` is aborted. A holder that is paused cannot renew, so its lock passes to another after
 * the TTL: that is what the fencing token (an INCR taken in the same script) is for.
 */
export class RedisLock implements DistributedLock {
  readonly kind = 'redis';
  readonly backend = 'Redis';
  readonly fencing = true;
  readonly stats = new LockStats();
  private readonly signals: RedisReleaseSignals;
  private readonly fallbackMs: number;
  private readonly handoffMs: number;

  constructor(
    private readonly redis: Redis,
    /** e.g. `ordernum:` */
    private readonly keyPrefix: string,
    private readonly logger?: LogSink,
    options: RedisLockOptions = {},
  ) {
    this.fallbackMs = options.fallbackMs ?? 100;
    this.handoffMs = options.handoffMs ?? 30;
    this.signals = new RedisReleaseSignals(redis, options.subscriberIdleMs ?? 5000, logger);
  }

  async acquire(resource: string, { waitMs, ttlMs, signal, stage = new AcquireStage() }: AcquireOptions): Promise<Lease> {
    const deadline = Date.now() + waitMs;
    const key = `${this.keyPrefix}lock:${resource}`;
    const value = randomUUID();
    const channel = releaseChannel(key);
    let wait: ReleaseWait | undefined;
    let leased = false;
    try {
      for (let round = 0; ; round += 1) {
        // Once this process listens on the channel, a waiter joins the line before it tries: a try
        // that finds the lock taken then waits for the next release at once, without the second
        // try a first subscription needs (the release may have come before it).
        if (wait === undefined && this.signals.listening(channel)) wait = this.signals.register(channel);
        const othersHere = this.signals.waiting(channel) - (wait === undefined ? 0 : 1);
        // Behind callers of its own process that already wait, a caller does not try on arrival:
        // the process stands in the lock's line, and its turns wake them one at a time, oldest
        // first; a try now would only find the lock taken, or kept for another process.
        const behindOwn = round === 0 && wait !== undefined && othersHere > 0;
        const attempt = behindOwn ? QUEUED_BEHIND_OWN : await this.attempt(resource, key, value, ttlMs, othersHere > 0);
        if ('lease' in attempt) {
          // A wake-up it had was for the release that let it in: nobody else to pass it to.
          wait?.cancel({ passOn: false });
          wait = undefined;
          leased = true;
          return attempt.lease;
        }
        const remaining = deadline - Date.now();
        if (remaining <= 0 || signal?.aborted) throw new LockTimeoutError(resource, waitMs, this.kind);
        if (wait === undefined) {
          // Subscribed only once the lock was found taken: an uncontended acquire costs one round trip.
          // Then straight back to the attempt: the release may have come before the subscription.
          await this.signals.subscribe(channel);
        } else {
          // Kept out by a reservation: the woken process may never come, so try again once it runs out.
          const until =
            attempt.heldBy === 'reservation'
              ? wait.until(Math.min(remaining, attempt.forMs + 1), { jitter: false })
              : wait.until(Math.min(remaining, this.fallbackMs));
          await stage.holder(raceDeadline(until, deadline, undefined, signal));
          wait.cancel();
        }
        wait = this.signals.register(channel);
      }
    } finally {
      wait?.cancel();
      if (!leased && this.signals.waiting(channel) === 0) this.leaveLine(resource);
    }
  }

  /**
   * Gives up this process's place in the lock's line once none of its callers waits any more, so
   * that the next release wakes a process that does. Best effort: a place left behind costs the
   * next release one notification nobody takes (the others' fallback retry follows).
   */
  private leaveLine(resource: string): void {
    this.redis.zrem(this.waitersKey(resource), this.signals.processId).catch((error: Error) => {
      this.logger?.warn(`could not leave the line for ${resource}: ${error.message}`);
    });
  }

  private waitersKey(resource: string): string {
    return `${this.keyPrefix}lock-waiters:${resource}`;
  }

  /** The process the last release woke, until it tries (or the next release takes it out of the line). */
  private awaitedKey(resource: string): string {
    return `${this.keyPrefix}lock-awaited:${resource}`;
  }

  /** The process the last release handed the lock to, for `handoffMs`. */
  private reservedKey(resource: string): string {
    return `${this.keyPrefix}lock-reserved:${resource}`;
  }

  /** One try: the lease, or what keeps the caller out. */
  private async attempt(resource: string, key: string, value: string, ttlMs: number, othersHere: boolean): Promise<Attempt> {
    const sentAt = Date.now();
    let token: unknown;
    try {
      const keys = [
        key,
        `${this.keyPrefix}lock-token:${resource}`,
        this.waitersKey(resource),
        this.awaitedKey(resource),
        this.reservedKey(resource),
      ];
      token = await acquireWithToken.run(this.redis, keys, [value, ttlMs, this.signals.processId, othersHere ? '1' : '0']);
    } catch (error) {
      throw new LockBackendError(resource, this.kind, { cause: asRedisUnavailable(error, 'lock acquire') });
    }
    if (typeof token !== 'number') return { heldBy: 'holder' };
    if (token <= 0) return { heldBy: 'reservation', forMs: -token };
    this.stats.acquisitions += 1;
    return { lease: this.lease(resource, key, value, token, ttlMs, sentAt) };
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
          const channel = releaseChannel(key);
          const keys = [key, this.waitersKey(resource), this.awaitedKey(resource), this.reservedKey(resource)];
          const woken = await releaseAndAnnounce.run(this.redis, keys, [value, channel, this.signals.processId, this.handoffMs]);
          if (woken === this.signals.processId) this.signals.wakeHere(channel);
        } catch (error) {
          // Not rethrown: the TTL frees the key anyway, and the holder's result stands.
          this.logger?.warn(`could not release ${key}; its TTL will: ${(error as Error).message}`);
        }
      },
    };
  }
}

/** The pub/sub channel a lock's releases are announced on. */
export function releaseChannel(lockKey: string): string {
  return `${lockKey}:released`;
}
