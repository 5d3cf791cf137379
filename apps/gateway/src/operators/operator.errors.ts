import { BadInputError, NotFoundError } from '@app/errors';

/** Not one of the read-only four-letter words: the state-changing ones (`crst`, `srst`, ...) are never relayed. */
export class DisallowedFourLetterWordError extends BadInputError {
  constructor(
    readonly word: string,
    readonly allowed: readonly string[],
  ) {
    super(400, 'word', `four-letter word '${word}' is not allowed; allowed: ${allowed.join(', ')}`);
  }
}

/** A query parameter of the tree browser that is not usable (`path`, `depth`). */
export class InvalidTreeQueryError extends BadInputError {
  constructor(
    readonly parameter: 'path' | 'depth',
    readonly value: unknown,
    rule: string,
  ) {
    super(400, parameter, `${parameter} ${JSON.stringify(value)}: ${rule}`);
  }
}

/** The znode asked for does not exist. */
export class ZnodeNotFoundError extends NotFoundError {
  constructor(
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(`znode ${path} does not exist`, options);
  }
}
