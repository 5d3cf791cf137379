import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { RpcErrorFilter } from '../errors/rpc-error.filter';
import { OrderResponse, OrdersService } from './orders.service';

/** The gateway's way in: the same service as HTTP, over `@nestjs/microservices` TCP. */
@Controller()
@UseFilters(RpcErrorFilter)
export class OrdersRpcController {
  constructor(private readonly orders: OrdersService) {}

  @MessagePattern('orders.create')
  create(@Payload() body: unknown): Promise<OrderResponse> {
    return this.orders.create(body);
  }

  @MessagePattern('orders.baseline')
  baseline(@Payload() body: unknown): { ok: true; replica: string } {
    return this.orders.baseline(body);
  }
}
