import { UnavailableError } from '@app/errors';
import { FencePosition } from '@app/redis';

/** A fenced read or write carried a position lower than one the ledger has already seen. */
export class StaleTokenError extends UnavailableError {
  constructor(
    readonly position: FencePosition,
    readonly highest: FencePosition,
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`fencing token ${position.epoch}:${position.token} is stale for ${key}: the ledger has seen ${highest.epoch}:${highest.token}`, options);
  }
}

/**
 * Someone of a newer epoch (a newer config) has come by: nothing more may be issued under this one.
 * The request starts again under the epoch in force once this replica has adopted it.
 */
export class EpochSupersededError extends StaleTokenError {}

/** A fenced write would have moved a mark backwards (it moved on since it was read): start again. */
export class MarkMovedError extends UnavailableError {
  constructor(
    readonly key: string,
    readonly current: string,
  ) {
    super(`${key} moved on to ${current} since it was read`);
  }
}

/** The ZooKeeper generation this replica knows was replaced after a ZooKeeper data reset. */
export class RetiredGenerationError extends UnavailableError {
  constructor(readonly generation: string) {
    super(`ZooKeeper generation ${generation} was replaced (ZooKeeper lost its data); waiting for the new one`);
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
