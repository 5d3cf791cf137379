import { z } from 'zod';

/**
 * The message patterns the gateway sends to a replica over `@nestjs/microservices` TCP. Objects,
 * not strings: the server reads every incoming pattern with `JSON.parse` first, and a bare string
 * is not JSON, so each message would build and throw a SyntaxError (about 6% of a replica's CPU
 * per order in a profile).
 */
export const RPC_PATTERNS = {
  /** Issue one order number: payload = a `CreateOrderMessage` (the `POST /orders` body, the key, the request id). */
  createOrder: { cmd: 'orders.create' },
  /** The empty handler the bench measures its baseline against. */
  baseline: { cmd: 'orders.baseline' },
} as const;

export type RpcPattern = (typeof RPC_PATTERNS)[keyof typeof RPC_PATTERNS];

/** The header a request id travels in: taken from the caller when it sends one, always answered. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** A request id as either app accepts it from outside: printable ASCII, no spaces, at most 128 characters. */
export const requestIdSchema = z.string().regex(/^[\x21-\x7e]{1,128}$/, 'printable ASCII, no spaces, 1..128 characters');

/**
 * The fields every RPC message that serves an HTTP request carries besides its payload: the
 * request id the gateway logged it under, so that the replica logs under the same one and one
 * order can be followed across processes.
 */
export const rpcTraceShape = {
  requestId: requestIdSchema.optional(),
};
