import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER, parseIdempotencyKey } from '@app/contracts';
import { OrderResponse, OrdersService } from './orders.service';

@Controller()
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post('orders')
  @HttpCode(201)
  async create(
    @Body() body: unknown,
    @Headers(IDEMPOTENCY_KEY_HEADER) key: string | string[] | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderResponse> {
    const answer = await this.orders.create(body, parseIdempotencyKey(key));
    if (answer.replayed) void reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
    return answer.body;
  }

  @Post('baseline')
  @HttpCode(200)
  baseline(@Body() body: unknown): { ok: true; replica: string } {
    return this.orders.baseline(body);
  }
}
