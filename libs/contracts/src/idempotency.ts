import { z } from 'zod';
import { BadInputError } from '@app/errors';
import { rpcTraceShape } from './rpc-patterns';

/** The request header a client names an order with, so that a retry never issues a second number. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** Set on an answer that was replayed from an earlier request with the same key. */
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';

/** Printable ASCII (space to tilde), 1..255 characters: what payment APIs accept. */
const KEY = /^[\x20-\x7e]{1,255}$/;

export class InvalidIdempotencyKeyError extends BadInputError {
  constructor(reason: string) {
    super(400, 'Idempotency-Key', `Idempotency-Key header ${reason}: it must be 1..255 printable ASCII characters`);
  }
}

/** The key of a request, undefined when it has none; a bad one is a 400 naming the header. */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (Array.isArray(header)) throw new InvalidIdempotencyKeyError('is given more than once');
  if (header.length === 0) throw new InvalidIdempotencyKeyError('is empty');
  if (header.length > 255) throw new InvalidIdempotencyKeyError(`is ${header.length} characters long`);
  if (!KEY.test(header)) throw new InvalidIdempotencyKeyError('has a character that is not printable ASCII');
  return header;
}

/** What the gateway sends a replica for `RPC_PATTERNS.createOrder`: the body untouched, the key if any, the request id. */
export const createOrderMessageSchema = z.object({
  body: z.unknown(),
  idempotencyKey: z.string().optional(),
  ...rpcTraceShape,
});

export type CreateOrderMessage = z.infer<typeof createOrderMessageSchema>;

/** What a replica answers a create, over HTTP (as status, headers and body) and over the RPC (as this). */
export interface CreateOrderReply<Body = Record<string, unknown>> {
  body: Body;
  /** True when `body` is the stored answer of an earlier request with the same key. */
  replayed: boolean;
}
