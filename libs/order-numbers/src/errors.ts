import { UnavailableError } from '@app/errors';

/** A fenced read or write carried a token lower than one the ledger has already seen. */
export class StaleTokenError extends UnavailableError {
  constructor(
    readonly token: number,
    readonly highest: number,
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`fencing token ${token} is stale for ${key}: the ledger has seen ${highest}`, options);
  }
}

/** No order number could be issued before the request's deadline; carries why. */
export class IssueDeadlineError extends UnavailableError {
  constructor(
    readonly strategy: string,
    readonly businessId: number,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${strategy}: no order number for business line ${businessId} in time: ${reason}`, options);
  }
}

/** The strategy cannot issue right now (no worker lease, empty pool, clock behind, ...). */
export class StrategyUnavailableError extends UnavailableError {
  constructor(
    readonly strategy: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${strategy}: ${reason}`, options);
  }
}

/** The ledger has no mark for a business line: numbers may start only after `waitMs` (see `MissingMarkFloor`). */
export class MissingMarkWaitError extends UnavailableError {
  constructor(
    readonly businessId: number,
    readonly waitMs: number,
  ) {
    super(`the ledger of business line ${businessId} has no mark: waiting ${waitMs} ms for the clock to pass any number a lost mark may have covered`);
  }
}
