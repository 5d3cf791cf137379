import { createHash, timingSafeEqual } from 'node:crypto';
import { UnauthorizedError } from '@app/errors';

/** No `Authorization: Bearer <token>` header, or one of another scheme. */
export class MissingAdminTokenError extends UnauthorizedError {
  constructor(what: string) {
    super(`${what} needs the operator token: send Authorization: Bearer <ADMIN_TOKEN>`);
  }
}

/** A bearer token that is not ADMIN_TOKEN. */
export class WrongAdminTokenError extends UnauthorizedError {
  constructor(what: string) {
    super(`${what}: the bearer token is not this gateway's ADMIN_TOKEN`);
  }
}

/**
 * The gateway's operator credential (`ADMIN_TOKEN`). Unset, every operator endpoint is open (the
 * local cluster's default, announced loudly at start-up); set, `check` lets only its bearer through.
 */
export class AdminToken {
  private readonly expected?: Buffer;

  constructor(token: string | undefined) {
    this.expected = token === undefined ? undefined : digest(token);
  }

  get enabled(): boolean {
    return this.expected !== undefined;
  }

  /** Throws a 401 unless `authorization` carries the token; `what` names the guarded action in the message. */
  check(authorization: string | string[] | undefined, what: string): void {
    if (this.expected === undefined) return;
    const header = Array.isArray(authorization) ? authorization[0] : authorization;
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
    if (!match) throw new MissingAdminTokenError(what);
    // Both sides hashed to 32 bytes: timingSafeEqual wants equal lengths, and the time taken says
    // nothing about how much of the token (or its length) a guess got right.
    if (!timingSafeEqual(digest(match[1]), this.expected)) throw new WrongAdminTokenError(what);
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
