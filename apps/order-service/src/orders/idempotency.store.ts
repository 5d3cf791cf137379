import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { CreateOrderRequest, OrderServiceConfig } from '@app/contracts';
import { asRedisUnavailable, completeReservation, releaseReservation } from '@app/redis';
import { ORDER_SERVICE_CONFIG } from '../config/config.tokens';

/** What a key holds: a reservation while the first request issues, then its answer. */
type Entry = { state: 'pending'; fingerprint: string; owner: string } | { state: 'done'; fingerprint: string; body: unknown };

/** The outcome of claiming a key: ours to issue under, or someone else's (pending or answered). */
export type Claim =
  | { kind: 'reserved'; release(): Promise<void>; complete(body: unknown): Promise<boolean> }
  | { kind: 'taken'; entry: Entry; ttlMs: number };

/**
 * Idempotency keys in Redis: `SET NX` reserves a key for one request's deadline,
 * the answer then replaces the reservation for `IDEMPOTENCY_TTL_S`. A reservation is only ever
 * replaced or released by its owner, so two requests can never both issue under one key.
 */
@Injectable()
export class IdempotencyStore {
  constructor(
    @Inject(Redis) private readonly redis: Redis,
    @Inject(ORDER_SERVICE_CONFIG) private readonly config: OrderServiceConfig,
  ) {}

  /** Same request, same fingerprint: the parsed body, so that key order or spacing do not matter. */
  fingerprint(request: CreateOrderRequest): string {
    return createHash('sha256').update(JSON.stringify({ businessId: request.businessId })).digest('hex');
  }

  async claim(key: string, request: CreateOrderRequest, reserveForMs: number): Promise<Claim> {
    const redisKey = this.redisKey(key);
    const fingerprint = this.fingerprint(request);
    const reservation = JSON.stringify({ state: 'pending', fingerprint, owner: randomUUID() } satisfies Entry);
    const taken = await this.command('SET NX', () => this.redis.set(redisKey, reservation, 'PX', Math.max(1, reserveForMs), 'NX'));
    if (taken === 'OK') {
      return {
        kind: 'reserved',
        release: async () => {
          await this.command('release', () => releaseReservation.run(this.redis, [redisKey], [reservation]));
        },
        complete: async (body) => {
          const answer = JSON.stringify({ state: 'done', fingerprint, body } satisfies Entry);
          const ttlMs = this.config.IDEMPOTENCY_TTL_S * 1000;
          return (
            (await this.command('complete', () => completeReservation.run(this.redis, [redisKey], [reservation, answer, ttlMs]))) === 1
          );
        },
      };
    }
    const current = await this.read(key);
    // Gone between our SET NX and GET (a reservation released or expired): claim again.
    return current ?? this.claim(key, request, reserveForMs);
  }

  /** The key's entry and its remaining TTL, or undefined when it holds nothing. */
  async read(key: string): Promise<{ kind: 'taken'; entry: Entry; ttlMs: number } | undefined> {
    const redisKey = this.redisKey(key);
    const [text, ttlMs] = await this.command('GET', () => Promise.all([this.redis.get(redisKey), this.redis.pttl(redisKey)]));
    if (text === null) return undefined;
    return { kind: 'taken', entry: JSON.parse(text) as Entry, ttlMs };
  }

  /**
   * One namespace for all business lines: the key names the order, and the body (business line
   * included) is checked against the stored fingerprint, so reusing a key for another line is a 422.
   */
  private redisKey(key: string): string {
    return `${this.config.REDIS_PREFIX}idempotency:${key}`;
  }

  private async command<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw asRedisUnavailable(error, `idempotency ${what}`);
    }
  }
}
