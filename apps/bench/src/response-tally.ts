const ORDER_NUMBER = /^\d{25}$/;

/** Error keys beside the HTTP status codes, for failures that produced no response. */
export const TIMEOUT_KEY = 'timeout';
export const CONNECTION_ERROR_KEY = 'connection-error';
/** A success status whose body carried no well-formed order number. */
export const BAD_BODY_KEY = 'bad-body';

export interface TallyMode {
  /** The status a successful request answers with (201 for an order, 200 for the baseline). */
  successStatus: number;
  /** Keep every order number of the successes (order runs; the baseline issues none). */
  collectOrders: boolean;
}

/**
 * Classifies every response autocannon hands to `onResponse` while the run goes, so that the
 * result holds every order number (for the exact duplicate count) and every error by its cause.
 */
export class ResponseTally {
  readonly orderNumbers: string[] = [];
  private successCount = 0;
  private responseCount = 0;
  private readonly errors: Record<string, number> = {};

  constructor(private readonly mode: TallyMode) {}

  record(status: number, body: string): void {
    this.responseCount += 1;
    if (status !== this.mode.successStatus) {
      this.addError(String(status));
      return;
    }
    if (!this.mode.collectOrders) {
      this.successCount += 1;
      return;
    }
    const orderNumber = readOrderNumber(body);
    if (orderNumber === undefined) {
      this.addError(BAD_BODY_KEY);
      return;
    }
    this.successCount += 1;
    this.orderNumbers.push(orderNumber);
  }

  /** autocannon counts timeouts inside `errors`; they are kept apart here. */
  recordTransportErrors(errors: number, timeouts: number): void {
    if (timeouts > 0) this.addError(TIMEOUT_KEY, timeouts);
    if (errors - timeouts > 0) this.addError(CONNECTION_ERROR_KEY, errors - timeouts);
  }

  get successes(): number {
    return this.successCount;
  }

  get responses(): number {
    return this.responseCount;
  }

  get errorsByStatus(): Record<string, number> {
    return { ...this.errors };
  }

  private addError(key: string, count = 1): void {
    this.errors[key] = (this.errors[key] ?? 0) + count;
  }
}

function readOrderNumber(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const orderNumber = (parsed as { orderNumber?: unknown }).orderNumber;
    return typeof orderNumber === 'string' && ORDER_NUMBER.test(orderNumber) ? orderNumber : undefined;
  } catch {
    return undefined; // a malformed body is what BAD_BODY_KEY counts
  }
}
