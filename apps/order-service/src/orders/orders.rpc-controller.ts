import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CreateOrderReply, createOrderMessageSchema, InvalidOrderRequestError, parseIdempotencyKey, RPC_PATTERNS } from '@app/contracts';
import { RpcErrorFilter } from '../errors/rpc-error.filter';
import { OrderResponse, OrdersService } from './orders.service';

/** The gateway's way in: the same service as HTTP, over `@nestjs/microservices` TCP. */
@Controller()
@UseFilters(RpcErrorFilter)
export class OrdersRpcController {
  constructor(private readonly orders: OrdersService) {}

  @MessagePattern(RPC_PATTERNS.createOrder)
  create(@Payload() payload: unknown): Promise<CreateOrderReply<OrderResponse>> {
    const message = createOrderMessageSchema.safeParse(payload);
    if (!message.success)
      throw new InvalidOrderRequestError(400, 'body', 'an orders.create message is {"body": ..., "idempotencyKey"?: "..."}');
    return this.orders.create(message.data.body, parseIdempotencyKey(message.data.idempotencyKey));
  }

  @MessagePattern(RPC_PATTERNS.baseline)
  baseline(@Payload() body: unknown): { ok: true; replica: string } {
    return this.orders.baseline(body);
  }
}
