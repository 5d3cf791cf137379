import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { LogSink } from '@app/zookeeper';

/** One waiter's place in line for a release notification. */
export interface ReleaseWait {
  /**
   * Resolves on a release notification, or after about `fallbackMs` (jittered down by up to half,
   * unless `jitter` is false), whichever comes first.
   */
  until(fallbackMs: number, options?: { jitter: boolean }): Promise<'released' | 'fallback'>;
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
 * pub/sub channel per lock). The processes that found the lock taken stand in line in Redis
 * (`acquireWithToken`); the releasing holder's script wakes the first of them only, on that
 * process's own channel for the lock (`<release channel>:<process id>`), and this process wakes
 * ONE local waiter per notification: waking every process, or every local waiter, would have
 * them all try for a lock only one can get. This process holds one subscriber connection (a
 * connection in subscriber mode can send nothing else, so it cannot be the shared client).
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
  /** Channels whose subscription is in place on the current subscriber connection. */
  private readonly listened = new Set<string>();
  /** This process's place in the lines kept in Redis, and the suffix of its own release channels. */
  readonly processId = randomUUID();

  constructor(
    private readonly redis: Redis,
    private readonly idleCloseMs = 5000,
    private readonly logger?: LogSink,
  ) {}

  /**
   * The release script found this process first in line for the lock on `channel`: wakes one
   * waiter of this process at once, no round trip through Redis. Best effort, as every
   * notification: a lost one costs a waiter its fallback delay, never correctness.
   */
  wakeHere(channel: string): void {
    this.wakeOne(channel);
  }

  /** How many callers of this process are in line for `channel`. */
  waiting(channel: string): number {
    return this.lines.get(channel)?.length ?? 0;
  }

  /** True once this process listens on `channel`: a waiter may then join the line before its first try. */
  listening(channel: string): boolean {
    return this.listened.has(channel);
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
          await subscriber.subscribe(this.ownChannel(channel));
          // Still the connection subscribed on (a close meanwhile cleared the subscriptions)?
          if (this.subscriptions.get(channel) === subscribed) this.listened.add(channel);
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
      until: async (fallbackMs, { jitter } = { jitter: true }) => {
        // Jitter: waiters of several processes whose notification was lost do not retry in step.
        const delay = Math.max(0, jitter ? fallbackMs * (0.5 + Math.random() / 2) : fallbackMs);
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

  /** Where the release script wakes this process for the lock on `channel`. */
  private ownChannel(channel: string): string {
    return `${channel}:${this.processId}`;
  }

  private connect(): Promise<Redis | undefined> {
    this.subscriber ??= (async () => {
      const subscriber = this.redis.duplicate();
      subscriber.on('error', () => undefined); // reported through the failed subscribe; the fallback covers the rest
      const suffix = `:${this.processId}`;
      subscriber.on('message', (ownChannel: string) => {
        if (ownChannel.endsWith(suffix)) this.wakeOne(ownChannel.slice(0, -suffix.length));
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
    this.listened.clear();
    this.redis.off('end', this.onParentEnd);
    void subscriber?.then((connection) => connection?.disconnect());
  }
}
