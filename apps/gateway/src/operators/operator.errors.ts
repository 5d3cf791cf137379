import { STATUS_CODES } from 'node:http';
import { HttpException, HttpStatus } from '@nestjs/common';

/**
 * Why an operator request was refused. They extend HttpException so that the gateway's one
 * exception filter sends them as `{statusCode, error, message}` without a mapping of their own;
 * ZooKeeper being unavailable stays a `ZookeeperUnavailableError`, which the filter sends as 503.
 */
abstract class OperatorRequestError extends HttpException {
  protected constructor(status: HttpStatus, message: string, options?: { cause?: unknown }) {
    super({ statusCode: status, error: STATUS_CODES[status], message }, status, options);
    this.name = new.target.name;
  }
}

/** Not one of the read-only four-letter words: the state-changing ones (`crst`, `srst`, ...) are never relayed. */
export class DisallowedFourLetterWordError extends OperatorRequestError {
  constructor(
    readonly word: string,
    readonly allowed: readonly string[],
  ) {
    super(HttpStatus.BAD_REQUEST, `four-letter word '${word}' is not allowed; allowed: ${allowed.join(', ')}`);
  }
}

/** A query parameter of the tree browser that is not usable (`path`, `depth`). */
export class InvalidTreeQueryError extends OperatorRequestError {
  constructor(
    readonly parameter: 'path' | 'depth',
    readonly value: unknown,
    rule: string,
  ) {
    super(HttpStatus.BAD_REQUEST, `${parameter} ${JSON.stringify(value)}: ${rule}`);
  }
}

/** The znode asked for does not exist. */
export class ZnodeNotFoundError extends OperatorRequestError {
  constructor(
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(HttpStatus.NOT_FOUND, `znode ${path} does not exist`, options);
  }
}
