import { OrderBody, postOrder } from '../../support/http';

/** One request of a load run, as the client saw it. */
export interface OrderResult {
  status: number;
  body: OrderBody;
  startedAt: number;
  endedAt: number;
}

export interface LoadOptions {
  /** Requests in flight at once. */
  concurrency: number;
  /** Stop after this many requests (exact accounting). */
  total?: number;
  /** Or stop when aborted; requests in flight still complete and are counted. */
  until?: AbortSignal;
  /** Client-side deadline per request: a request that takes longer counts as a hang (status 0). */
  requestTimeoutMs?: number;
  /** The business lines to cycle through; four by default. */
  businessLines?: readonly number[];
  /** Told of every answer as it arrives, for a test that watches the run live. */
  onResult?: (result: OrderResult) => void;
}

const BUSINESS_LINES = [1001, 2001, 3001, 4001];

/**
 * `concurrency` workers posting `/orders` back to back, cycling through the business lines, so the
 * gateway sees real concurrency (unlike awaiting one call before the next). Every response is kept.
 */
export async function postOrders(gateway: string, options: LoadOptions): Promise<OrderResult[]> {
  const results: OrderResult[] = [];
  let issued = 0;
  const more = (): boolean => (options.total === undefined || issued < options.total) && !options.until?.aborted;
  const worker = async (): Promise<void> => {
    while (more()) {
      const lines = options.businessLines ?? BUSINESS_LINES;
      const businessId = lines[issued++ % lines.length];
      const result = await postOne(gateway, businessId, options.requestTimeoutMs ?? 20_000);
      results.push(result);
      options.onResult?.(result);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return results;
}

async function postOne(gateway: string, businessId: number, timeoutMs: number): Promise<OrderResult> {
  const startedAt = Date.now();
  try {
    const { status, body } = await postOrder(gateway, businessId, timeoutMs);
    return { status, body, startedAt, endedAt: Date.now() };
  } catch (error) {
    // Status 0: no HTTP answer at all (hang past the deadline, connection reset): what must never happen.
    return { status: 0, body: { clientError: (error as Error).message }, startedAt, endedAt: Date.now() };
  }
}

/** How many successful orders each replica served, by the gateway's `servedBy`. */
export function servedBy(results: readonly OrderResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const result of results) {
    if (result.status === 201) counts[String(result.body.servedBy)] = (counts[String(result.body.servedBy)] ?? 0) + 1;
  }
  return counts;
}
