import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { LogSink } from '@app/zookeeper';

/** One waiter's place in line for a release notification. */
export interface ReleaseWait {
  /** Resolves on a release notification, or after about `fallbackMs` (jittered), whichever comes first. */
  until(fallbackMs: number): Promise<'released' | 'fallback'>;
  /**
   * Leaves the line. A notification it received but did not use goes to the next waiter, unless
   * `passOn` is false (it took the lock that notification announced).
   */
  cancel(options?: { passOn: boolean }): void;
}

interface Waiter {
  woken: boolean;
  wake(): void;
}

/**
 * Wakes Redis lock waiters when the holder releases, instead of letting them poll (Redisson's
 * pub/sub channel per lock). A releasing holder PUBLISHes on the lock's channel; this process
 * holds one subscriber connection (a connection in subscriber mode can send nothing else, so it
 * cannot be the shared client) and wakes ONE local waiter per notification: waking them all
 * would have every local waiter retry for a lock only one can get.
 *
 * A notification can be lost (the key expired instead of being released, the subscriber was
 * reconnecting, the publish failed): every wait therefore ends after a jittered fallback anyway,
 * and the waiter retries as it did before. The subscriber connection exists only while someone
 * waits (closed after `idleCloseMs` without waiters, or when the shared client ends), so a lock
 * still owns no connection that its caller must close.
 */
export class RedisReleaseSignals {
  private subscriber: Promise<Redis | undefined> | undefined;
  private readonly subscriptions = new Map<string, Promise<boolean>>();
  private readonly lines = new Map<string, Waiter[]>();
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly onParentEnd = () => this.closeSubscriber();
  /** Sent with each notification, so this process skips its own: it woke a local waiter already. */
  private readonly id = randomUUID();

  constructor(
    private readonly redis: Redis,
    private readonly idleCloseMs = 5000,
    private readonly logger?: LogSink,
  ) {}

  /**
   * Wakes one waiter of this process at once (no round trip through Redis) and announces the
   * release to the others. Best effort: a lost notification costs a waiter its fallback delay,
   * never correctness.
   */
  notify(channel: string): void {
    this.wakeOne(channel);
    this.redis.publish(channel, this.id).catch((error: Error) => {
      this.logger?.warn(`could not publish the release on ${channel}; waiters fall back to retrying: ${error.message}`);
    });
  }

  /**
   * Subscribes to `channel` (once per channel and connection). False when the subscription could
   * not be made: the caller's waits then end by their fallback only.
   */
  subscribe(channel: string): Promise<boolean> {
    this.clearIdle();
    let subscribed = this.subscriptions.get(channel);
    if (!subscribed) {
      subscribed = this.connect().then(async (subscriber) => {
        if (!subscriber) return false;
        try {
          await subscriber.subscribe(channel);
          return true;
        } catch (error) {
          this.subscriptions.delete(channel); // the next waiter tries again
          this.logger?.warn(`could not subscribe to ${channel}; waiters fall back to retrying: ${(error as Error).message}`);
          return false;
        }
      });
      this.subscriptions.set(channel, subscribed);
    }
    return subscribed;
  }

  /** Joins the line for `channel`; do it BEFORE the attempt, so a release during the attempt is not missed. */
  register(channel: string): ReleaseWait {
    this.clearIdle();
    let resolveWoken: () => void = () => undefined;
    const woken = new Promise<void>((resolve) => (resolveWoken = resolve));
    const waiter: Waiter = {
      woken: false,
      wake: () => {
        waiter.woken = true;
        resolveWoken();
      },
    };
    const line = this.lines.get(channel) ?? [];
    line.push(waiter);
    this.lines.set(channel, line);
    let used = false;
    return {
      until: async (fallbackMs) => {
        // Jitter: waiters of several processes whose notification was lost do not retry in step.
        const delay = Math.max(0, fallbackMs * (0.5 + Math.random() / 2));
        let timer: NodeJS.Timeout | undefined;
        const outcome = await Promise.race([
          woken.then(() => 'released' as const),
          new Promise<'fallback'>((resolve) => (timer = setTimeout(() => resolve('fallback'), delay))),
        ]);
        clearTimeout(timer);
        used = outcome === 'released';
        return outcome;
      },
      cancel: ({ passOn } = { passOn: true }) => {
        this.leave(channel, waiter);
        if (passOn && waiter.woken && !used) this.wakeOne(channel);
      },
    };
  }

  private leave(channel: string, waiter: Waiter): void {
    const line = this.lines.get(channel);
    if (!line) return;
    const index = line.indexOf(waiter);
    if (index >= 0) line.splice(index, 1);
    if (line.length === 0) this.lines.delete(channel);
    if (this.lines.size === 0) this.startIdle();
  }

  private wakeOne(channel: string): void {
    const waiter = this.lines.get(channel)?.find((candidate) => !candidate.woken);
    waiter?.wake();
  }

  private connect(): Promise<Redis | undefined> {
    this.subscriber ??= (async () => {
      const subscriber = this.redis.duplicate();
      subscriber.on('error', () => undefined); // reported through the failed subscribe; the fallback covers the rest
      subscriber.on('message', (channel: string, sender: string) => {
        if (sender !== this.id) this.wakeOne(channel);
      });
      this.redis.once('end', this.onParentEnd);
      try {
        if (subscriber.status === 'wait') await subscriber.connect();
        return subscriber;
      } catch (error) {
        this.logger?.warn(`no subscriber connection for lock releases; waiters fall back to retrying: ${(error as Error).message}`);
        this.closeSubscriber();
        return undefined;
      }
    })();
    return this.subscriber;
  }

  private startIdle(): void {
    this.clearIdle();
    if (!this.subscriber) return;
    this.idleTimer = setTimeout(() => this.closeSubscriber(), this.idleCloseMs);
    this.idleTimer.unref(); // the subscriber closes with its parent anyway
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private closeSubscriber(): void {
    this.clearIdle();
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    this.subscriptions.clear();
    this.redis.off('end', this.onParentEnd);
    void subscriber?.then((connection) => connection?.disconnect());
  }
}
