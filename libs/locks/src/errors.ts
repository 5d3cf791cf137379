import { UnavailableError } from '@app/errors';

/** The lock was not acquired within `waitMs`. */
export class LockTimeoutError extends UnavailableError {
  constructor(
    readonly resource: string,
    readonly waitMs: number,
    readonly kind: string,
    options?: { cause?: unknown },
  ) {
    super(`${kind} lock on ${resource} not acquired within ${waitMs} ms`, options);
  }
}

/** The holder learned that it may no longer hold the lock (lease expired, session lost). */
export class LockLostError extends UnavailableError {
  constructor(
    readonly resource: string,
    readonly kind: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${kind} lock on ${resource} lost: ${reason}`, options);
  }
}

/** The lock's backend (ZooKeeper, Redis) failed or did not answer in time. */
export class LockBackendError extends UnavailableError {
  constructor(
    readonly resource: string,
    readonly kind: string,
    options: { cause: unknown },
  ) {
    super(`${kind} lock on ${resource}: backend unavailable (${describe(options.cause)})`, options);
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
