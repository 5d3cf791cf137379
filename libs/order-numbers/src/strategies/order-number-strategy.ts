import { StrategyName } from '@app/contracts';

export interface IssuedNumber {
  orderNumber: string;
  /** The fencing token of the lease it was issued under, when the guard has one. */
  fencingToken?: number;
  /** Attempts that were refused (stale token, lost lease) and retried from the start. */
  retries: number;
}

/**
 * The seam of DESIGN §2: every way of issuing order numbers. One file per strategy beside it;
 * the locked ones are one class composed with a lock, the others need no lock and fake none.
 */
export interface OrderNumberStrategy {
  readonly name: StrategyName;
  next(businessId: number): Promise<IssuedNumber>;
  /**
   * Drops numbers taken ahead of need (the `redis-pregen` prefetch buffer). Called on every
   * strategy switch: a number buffered before the switch is older than what was issued since.
   */
  discardBuffered?(): void;
  close(): Promise<void>;
}
