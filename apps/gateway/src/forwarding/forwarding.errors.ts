import { ServiceError } from '@app/errors';

/**
 * Why a call through the gateway failed. Each carries the HTTP status the exception filter sends
 * and says whether the order may have been issued, because that decides what a client may do next.
 */
export abstract class ForwardingError extends ServiceError {}

/** The registry lists no replica: nothing was sent. */
export class NoReplicaError extends ForwardingError {
  readonly statusCode = 503;

  constructor(readonly registryPath: string) {
    super('no order-service replica registered');
  }
}

/** No replica accepted a connection (first choice and the one retry): nothing was sent, so retrying is safe. */
export class ReplicaUnreachableError extends ForwardingError {
  readonly statusCode = 503;

  constructor(
    readonly attempts: readonly { replica: string; reason: string }[],
    options?: { cause?: unknown },
  ) {
    const tried = attempts.map((attempt) => `${attempt.replica} (${attempt.reason})`).join(', ');
    super(`no order-service replica reachable: ${tried}; nothing was sent`, options);
  }
}

/** The request was sent and no answer came (connection closed, timeout): its fate is unknown. */
export class ReplicaNoAnswerError extends ForwardingError {
  readonly statusCode = 503;

  constructor(
    readonly replica: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `replica ${replica} did not answer: ${reason}; the order may or may not have been issued: retry with the same Idempotency-Key header (without one, a retry may issue a second number)`,
      options,
    );
  }

  override responseFields(): Record<string, unknown> {
    return { replica: this.replica };
  }
}

/** The replica answered with an RpcException error `{statusCode, message, error}`: passed on as it is. */
export class ReplicaRejectedError extends ForwardingError {
  constructor(
    readonly replica: string,
    readonly statusCode: number,
    message: string,
    readonly error: string | undefined,
    /** A 409's `Retry-After`, passed on. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /** The replica's own words, so a 400/422 reads the same through the gateway as from a replica. */
  override responseFields(): Record<string, unknown> {
    const retry = this.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: this.retryAfterSeconds };
    return { ...(this.error === undefined ? {} : { error: this.error }), ...retry, replica: this.replica };
  }

  override responseHeaders(): Record<string, string> {
    return this.retryAfterSeconds === undefined ? {} : { 'retry-after': String(this.retryAfterSeconds) };
  }
}

/** The replica answered with an error that is not an RpcException (an internal failure there). */
export class ReplicaFailedError extends ForwardingError {
  readonly statusCode = 502;

  constructor(
    readonly replica: string,
    readonly detail: string,
  ) {
    super(`replica ${replica} failed: ${detail}`);
  }

  override responseFields(): Record<string, unknown> {
    return { replica: this.replica };
  }
}
