/** The lock was not acquired within `waitMs`. */
export class LockTimeoutError extends Error {
  constructor(
    readonly resource: string,
    readonly waitMs: number,
    readonly kind: string,
    options?: { cause?: unknown },
  ) {
    super(`${kind} lock on ${resource} not acquired within ${waitMs} ms`, options);
    this.name = 'LockTimeoutError';
  }
}

/** The holder learned that it may no longer hold the lock (lease expired, session lost). */
export class LockLostError extends Error {
  constructor(
    readonly resource: string,
    readonly kind: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${kind} lock on ${resource} lost: ${reason}`, options);
    this.name = 'LockLostError';
  }
}

/** The lock's backend (ZooKeeper, Redis) failed or did not answer in time. */
export class LockBackendError extends Error {
  constructor(
    readonly resource: string,
    readonly kind: string,
    options: { cause: unknown },
  ) {
    super(`${kind} lock on ${resource}: backend unavailable (${describe(options.cause)})`, options);
    this.name = 'LockBackendError';
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
