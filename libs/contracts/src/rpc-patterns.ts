/** The message patterns the gateway sends to a replica over `@nestjs/microservices` TCP. */
export const RPC_PATTERNS = {
  /** Issue one order number: payload = the `POST /orders` body. */
  createOrder: 'orders.create',
  /** The empty handler the bench measures its baseline against. */
  baseline: 'orders.baseline',
} as const;

export type RpcPattern = (typeof RPC_PATTERNS)[keyof typeof RPC_PATTERNS];
