import { BadInputError, ForbiddenError, NotFoundError, ServiceError } from '@app/errors';

/** `GET /orders/:orderNumber/decode` with something that is not 25 digits of a possible UTC date. */
export class InvalidOrderNumberError extends BadInputError {
  constructor(readonly value: string, reason: string) {
    super(400, 'orderNumber', `orderNumber: ${reason}`);
  }
}

/** A write body or query that is not usable (`path`, `data`, `version`, the config patch). */
export class InvalidWriteError extends BadInputError {
  constructor(field: string, message: string, statusCode: 400 | 422 = 400) {
    super(statusCode, field, `${field}: ${message}`);
  }
}

/** The gateway writes only inside its own ZK_ROOT: the rest of the ensemble may belong to others. */
export class OutsideRootError extends ForbiddenError {
  constructor(readonly path: string, readonly root: string) {
    super(`refused to write ${path}: outside ZK_ROOT ${root}`);
  }

  override responseFields(): Record<string, unknown> {
    return { path: this.path, root: this.root };
  }
}

/** ZooKeeper refused the gateway's own session: the node's ACL does not admit its ZK_AUTH. */
export class ZnodeAclError extends ForbiddenError {
  constructor(readonly path: string) {
    super(`ZooKeeper refused the write to ${path}: its ACL does not admit the gateway's ZK_AUTH`);
  }

  override responseFields(): Record<string, unknown> {
    return { path: this.path };
  }
}

/** The znode's version is not the one the writer read, it already exists, or it still has children. */
export class ZnodeConflictError extends ServiceError {
  readonly statusCode = 409;

  constructor(readonly path: string, reason: string, readonly currentVersion?: number) {
    super(`${path}: ${reason}`);
  }

  override responseFields(): Record<string, unknown> {
    return { path: this.path, ...(this.currentVersion === undefined ? {} : { currentVersion: this.currentVersion }) };
  }
}

/** `PUT /config` with `If-Match` naming a version the config node has left. */
export class ConfigVersionMismatchError extends ServiceError {
  readonly statusCode = 412;

  constructor(readonly expected: number, readonly currentVersion: number | undefined) {
    super(`the config node is at version ${currentVersion ?? '(unknown)'}, not ${expected}: read it again and reapply the change`);
  }

  override responseFields(): Record<string, unknown> {
    return { expectedVersion: this.expected, currentVersion: this.currentVersion ?? null };
  }
}

/** A console asset that was not built, or a report that is not in bench-results/. */
export class ConsoleFileNotFoundError extends NotFoundError {}
