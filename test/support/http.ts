/** What a test needs of one HTTP answer. */
export interface Answer {
  status: number;
  contentType: string;
  text: string;
  /** The parsed body when it is JSON, else undefined. */
  json: unknown;
}

export interface CallOptions {
  /** Sent as JSON with `Content-Type: application/json`. */
  json?: unknown;
  /** Sent as is (malformed bodies), with `headers`. */
  raw?: string;
  headers?: Record<string, string>;
  /** The client gives up after this: a request that takes longer is reported as a hang. */
  timeoutMs?: number;
}

/** One request with a client-side deadline, so that a hanging server fails the test instead of stalling it. */
export async function call(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined = options.raw;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] = 'application/json';
  }
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${baseUrl}${path}`, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
    text = await response.text();
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') throw new Error(`${method} ${path} hung: no answer within ${timeoutMs} ms`);
    throw error;
  }
  const contentType = response.headers.get('content-type') ?? '';
  let json: unknown;
  if (contentType.includes('application/json')) json = JSON.parse(text);
  return { status: response.status, contentType, text, json };
}

/** The fields of a `POST /orders` answer that tests read, 201 and error bodies alike. */
export interface OrderBody {
  orderNumber?: string;
  strategy?: string;
  replica?: string;
  servedBy?: string;
  message?: string;
  [field: string]: unknown;
}

export interface OrderAnswer extends Answer {
  /** The JSON body; empty when the answer was not a JSON object. */
  body: OrderBody;
}

/** The tests' one `POST /orders` (to a replica or the gateway); a hang throws, as `call` does. */
export async function postOrder(baseUrl: string, businessId: unknown = 1001, timeoutMs?: number): Promise<OrderAnswer> {
  const answer = await call(baseUrl, 'POST', '/orders', { json: { businessId }, timeoutMs });
  const body = typeof answer.json === 'object' && answer.json !== null ? (answer.json as OrderBody) : {};
  return { ...answer, body };
}

/** The order numbers of the answers that issued one (201), for `countDuplicates`. */
export function issuedNumbers(answers: ReadonlyArray<{ status: number; body: OrderBody }>): string[] {
  return answers.filter((answer) => answer.status === 201).map((answer) => String(answer.body.orderNumber));
}

/** The sum of `ordernum_orders_issued_total` over every strategy label in a `/metrics` scrape. */
export function ordersIssued(scrape: string): number {
  return scrape
    .split('\n')
    .filter((line) => /^ordernum_orders_issued_total(\{| )/.test(line))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}
