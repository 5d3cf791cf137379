import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { RPC_PATTERNS } from '@app/contracts';
import { RpcErrorFilter } from '../errors/rpc-error.filter';
import { OrderResponse, OrdersService } from './orders.service';

/** The gateway's way in: the same service as HTTP, over `@nestjs/microservices` TCP. */
@Controller()
@UseFilters(RpcErrorFilter)
export class OrdersRpcController {
  constructor(private readonly orders: OrdersService) {}

  @MessagePattern(RPC_PATTERNS.createOrder)
  create(@Payload() body: unknown): Promise<OrderResponse> {
    return this.orders.create(body);
  }

  @MessagePattern(RPC_PATTERNS.baseline)
  baseline(@Payload() body: unknown): { ok: true; replica: string } {
    return this.orders.baseline(body);
  }
}
