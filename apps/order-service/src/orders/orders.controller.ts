import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { OrderResponse, OrdersService } from './orders.service';

@Controller()
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post('orders')
  @HttpCode(201)
  create(@Body() body: unknown): Promise<OrderResponse> {
    return this.orders.create(body);
  }

  @Post('baseline')
  @HttpCode(200)
  baseline(@Body() body: unknown): { ok: true; replica: string } {
    return this.orders.baseline(body);
  }
}
