import { Controller, Logger, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { withRequestId } from '@app/http';
import { CreateOrderReply, createOrderMessageSchema, InvalidOrderRequestError, parseIdempotencyKey, RPC_PATTERNS } from '@app/contracts';
import { RpcErrorFilter } from '../errors/rpc-error.filter';
import { OrderResponse, OrdersService } from './orders.service';

/** The gateway's way in: the same service as HTTP, over `@nestjs/microservices` TCP. */
@Controller()
@UseFilters(RpcErrorFilter)
export class OrdersRpcController {
  private readonly logger = new Logger(OrdersRpcController.name);

  constructor(private readonly orders: OrdersService) {}

  /** Runs under the gateway's request id: every line it logs (this one's answer included) carries it. */
  @MessagePattern(RPC_PATTERNS.createOrder)
  create(@Payload() payload: unknown): Promise<CreateOrderReply<OrderResponse>> {
    const message = createOrderMessageSchema.safeParse(payload);
    if (!message.success)
      throw new InvalidOrderRequestError(400, 'body', 'an orders.create message is {"body": ..., "idempotencyKey"?: "...", "requestId"?: "..."}');
    const { body, idempotencyKey, requestId } = message.data;
    return withRequestId(requestId, async () => {
      const started = performance.now();
      try {
        const reply = await this.orders.create(body, parseIdempotencyKey(idempotencyKey));
        const ms = (performance.now() - started).toFixed(1);
        this.logger.log(`${RPC_PATTERNS.createOrder.cmd} ${reply.body.orderNumber}${reply.replayed ? ' (replayed)' : ''} in ${ms} ms`);
        return reply;
      } catch (error) {
        this.logger.warn(`${RPC_PATTERNS.createOrder.cmd} failed: ${(error as Error).message}`);
        throw error;
      }
    });
  }

  @MessagePattern(RPC_PATTERNS.baseline)
  baseline(@Payload() body: unknown): { ok: true; replica: string } {
    return this.orders.baseline(body);
  }
}
