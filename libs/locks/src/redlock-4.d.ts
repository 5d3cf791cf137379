/**
 * The part of node-redlock 4.2.0's API the `redlock` lock uses. The package ships no types, and
 * `@types/redlock` would pull in `@types/ioredis` 4, whose declarations clash with ioredis 5's own.
 */
declare module 'redlock' {
  import { EventEmitter } from 'node:events';

  namespace Redlock {
    interface Options {
      driftFactor?: number;
      retryCount?: number;
      retryDelay?: number;
      retryJitter?: number;
    }

    interface Lock {
      readonly resource: string | string[];
      readonly value: string;
      /** Epoch ms after which the lock may be someone else's (TTL less the drift). */
      readonly expiration: number;
      unlock(): Promise<void>;
      extend(ttl: number): Promise<Lock>;
    }

    class LockError extends Error {
      readonly attempts: number;
    }
  }

  class Redlock extends EventEmitter {
    constructor(clients: readonly object[], options?: Redlock.Options);
    lock(resource: string | string[], ttl: number): Promise<Redlock.Lock>;
    lockWithOptions(resource: string | string[], ttl: number, options: Redlock.Options): Promise<Redlock.Lock>;
  }

  export = Redlock;
}
