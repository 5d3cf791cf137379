/**
 * The root of every error this project raises on purpose. It carries the HTTP status it means to
 * a caller, so that the one exception filter of each app maps by class and a new error can never
 * fall through to a 500 by omission (Nest's `HttpException` carries its status the same way).
 */
export abstract class ServiceError extends Error {
  abstract readonly statusCode: number;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }

  /** Fields the JSON answer carries besides `statusCode`, `error` and `message`. */
  responseFields(): Record<string, unknown> {
    return {};
  }

  /** HTTP headers the answer carries (`Retry-After`, say). */
  responseHeaders(): Record<string, string> {
    return {};
  }
}

/**
 * A backend failed, a lease was lost or a deadline passed: nothing is wrong with the request, and
 * the client may retry later. Always 503, with the reason in the message.
 */
export abstract class UnavailableError extends ServiceError {
  readonly statusCode = 503;
}

/** The request itself is wrong: 400 for its shape, 422 for a well-formed value that cannot be served. */
export abstract class BadInputError extends ServiceError {
  constructor(
    readonly statusCode: 400 | 422,
    /** The field (or header, or parameter) at fault, named in the message too. */
    readonly field: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The request collides with another one still under way; the client may retry after `retryAfterSeconds`. */
export abstract class ConflictError extends ServiceError {
  readonly statusCode = 409;

  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }

  override responseFields(): Record<string, unknown> {
    return { retryAfterSeconds: this.retryAfterSeconds };
  }

  override responseHeaders(): Record<string, string> {
    return { 'retry-after': String(this.retryAfterSeconds) };
  }
}

/** The caller may not do this here (a write outside `ZK_ROOT`, say), whoever it is. */
export abstract class ForbiddenError extends ServiceError {
  readonly statusCode = 403;
}

/** What was asked for does not exist (a znode, a route's subject). */
export abstract class NotFoundError extends ServiceError {
  readonly statusCode = 404;
}

/**
 * The caller did not prove who it is (no credentials, or wrong ones): 401 with a
 * `WWW-Authenticate` challenge naming the scheme, so a client knows what to send.
 */
export abstract class UnauthorizedError extends ServiceError {
  readonly statusCode = 401;

  constructor(
    message: string,
    readonly scheme = 'Bearer',
  ) {
    super(message);
  }

  override responseHeaders(): Record<string, string> {
    return { 'www-authenticate': `${this.scheme} realm="ordernum"` };
  }
}
