import { z } from 'zod';
import { BadInputError } from '@app/errors';

/** A rejected body: `status` is 400 for a malformed one, 422 for a well-formed one we cannot serve. */
export class InvalidOrderRequestError extends BadInputError {}

const bodySchema = z
  .object({
    businessId: z.number({
      required_error: 'businessId is required',
      invalid_type_error: 'businessId must be an integer',
    }).int('businessId must be an integer'),
  })
  .strict();

export interface CreateOrderRequest {
  businessId: number;
}

/**
 * Checks a `POST /orders` body: `{"businessId": <integer 0..9999 of a registered line>}`, nothing
 * else. The shape is a 400; a range or registration problem is a 422. The replica calls this.
 */
export function parseCreateOrder(body: unknown, registeredLines: readonly number[]): CreateOrderRequest {
  const { businessId } = parseOrderBody(body);
  if (!registeredLines.includes(businessId)) {
    throw new InvalidOrderRequestError(
      422,
      'businessId',
      `businessId ${businessId} is not a registered business line (registered: ${registeredLines.join(', ')})`,
    );
  }
  return { businessId };
}

/**
 * Everything `parseCreateOrder` checks except the registration, which only the replicas know: the
 * gateway calls this at the edge, so that a body it would have to refuse never crosses the RPC.
 */
export function parseOrderBody(body: unknown): CreateOrderRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidOrderRequestError(400, 'body', 'body must be a JSON object like {"businessId": 1001}');
  }
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue.code === z.ZodIssueCode.unrecognized_keys) {
      throw new InvalidOrderRequestError(400, issue.keys[0], `unknown field(s): ${issue.keys.join(', ')}; only businessId is accepted`);
    }
    throw new InvalidOrderRequestError(400, 'businessId', issue.message);
  }
  const { businessId } = parsed.data;
  if (businessId < 0 || businessId > 9999) {
    throw new InvalidOrderRequestError(422, 'businessId', `businessId must be within 0..9999 (got ${businessId})`);
  }
  return { businessId };
}
