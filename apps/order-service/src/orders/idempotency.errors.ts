import { BadInputError, ConflictError, UnavailableError } from '@app/errors';

/** The key was used before with another body: replaying that answer would be wrong, issuing again worse. */
export class IdempotencyKeyReusedError extends BadInputError {
  constructor(readonly key: string) {
    super(422, 'Idempotency-Key', `Idempotency-Key "${key}" was already used with a different body`);
  }
}

/** Another request with the same key is still being served; its answer will be replayed once it is stored. */
export class IdempotencyInProgressError extends ConflictError {
  constructor(
    readonly key: string,
    retryAfterSeconds: number,
  ) {
    super(
      `a request with Idempotency-Key "${key}" is still in progress; retry with the same key after ${retryAfterSeconds} s`,
      retryAfterSeconds,
    );
  }
}

/**
 * The number was issued but the key's reservation ran out before the answer could be stored, so a
 * retry may already have issued another: this one is never delivered (a gap, not a duplicate).
 */
export class IdempotencyReservationLostError extends UnavailableError {
  constructor(readonly key: string) {
    super(`the reservation of Idempotency-Key "${key}" ran out before the answer was stored; retry with the same key`);
  }
}
