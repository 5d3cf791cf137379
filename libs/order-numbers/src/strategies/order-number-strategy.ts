import { StrategyName } from '@app/contracts';

export interface IssuedNumber {
  orderNumber: string;
  /** The fencing token of the lease it was issued under, when the guard has one. */
  fencingToken?: number;
  /** Attempts that were refused (stale token, lost lease) and retried from the start. */
  retries: number;
}

/** What a request carries down to the strategy (DESIGN §3, §6). */
export interface IssueContext {
  /**
   * The request's one deadline: every wait and every backend call gives up when it is aborted.
   * Read it only where the issue waits: it may be made on first read (an order served from memory
   * needs none, and making one costs a measurable share of such an order).
   */
  readonly signal: AbortSignal;
  /** The epoch (config generation) the request was started under; it leads every fencing token. */
  readonly epoch: number;
}

/**
 * The seam of DESIGN §2: every way of issuing order numbers. One file per strategy beside it;
 * the locked ones are one class composed with a lock, the others need no lock and fake none.
 */
export interface OrderNumberStrategy {
  readonly name: StrategyName;
  next(businessId: number, context: IssueContext): Promise<IssuedNumber>;
  /**
   * Drops numbers taken ahead of need (the `redis-pregen` prefetch buffer). Called on every
   * strategy switch: a number buffered before the switch is older than what was issued since.
   */
  discardBuffered?(): void;
  close(): Promise<void>;
}
