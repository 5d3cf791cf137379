import { Body, Controller, Get, Headers, HttpCode, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ReplicaRegistry } from '../discovery/replica-registry.service';
import { Forwarded, OrderForwarder } from '../forwarding/order-forwarder.service';
import { OrderTraffic } from '../console/order-traffic';
import { RequestId } from './request-id.decorator';
import { ServiceError } from '@app/errors';
import {
  CreateOrderMessage,
  CreateOrderReply,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  parseIdempotencyKey,
  parseOrderBody,
  RPC_PATTERNS,
} from '@app/contracts';

/**
 * The gateway's public API. An order body is checked at the edge by the same schema the replicas
 * use (so a 400/422 names the field the same way either way, and a body the replica would refuse
 * never crosses the RPC); only the business line's registration is left to the replica.
 */
@Controller()
export class OrdersController {
  constructor(
    private readonly forwarder: OrderForwarder,
    private readonly registry: ReplicaRegistry,
    private readonly traffic: OrderTraffic,
  ) {}

  /**
   * A replayed answer is the first answer byte for byte, `servedBy` included (the replica that
   * issued it); who replayed it is in the `X-Served-By` header, as for every answer.
   */
  @Post('orders')
  @HttpCode(201)
  async create(
    @Body() body: unknown,
    @Headers(IDEMPOTENCY_KEY_HEADER) keyHeader: string | string[] | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
    @RequestId() requestId: string,
  ): Promise<Record<string, unknown>> {
    const idempotencyKey = parseIdempotencyKey(keyHeader);
    const message: CreateOrderMessage = {
      body: parseOrderBody(body),
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
      // The replica logs under the same id: one order followed from this gateway's log line to the replica's.
      requestId,
    };
    const started = performance.now();
    let forwarded: Forwarded;
    try {
      forwarded = await this.forwarder.forward(RPC_PATTERNS.createOrder, message, {
        replayable: idempotencyKey !== undefined,
      });
    } catch (error) {
      if (error instanceof ServiceError && error.statusCode === 503) {
        this.traffic.unavailable(replicaOf(error), performance.now() - started);
      }
      throw error;
    }
    const { replica, body: answer } = forwarded;
    const { body: order, replayed } = asCreateOrderReply(answer);
    if (!replayed && typeof order.orderNumber === 'string') {
      this.traffic.issued(replica, String(order.strategy), order.orderNumber, performance.now() - started);
    }
    void reply.header('x-served-by', replica);
    if (replayed) void reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
    return { ...order, servedBy: typeof order.replica === 'string' && replayed ? order.replica : replica };
  }

  /** The empty handler through the same path (gateway, balancer, TCP, replica): the bench's baseline. */
  @Post('baseline')
  @HttpCode(200)
  async baseline(@Body() body: unknown): Promise<Record<string, unknown>> {
    const { replica, body: answer } = await this.forwarder.forward(RPC_PATTERNS.baseline, body ?? {});
    return { ...asRecord(answer), servedBy: replica };
  }

  @Get('replicas')
  replicas(): Record<string, unknown> {
    const counts = this.forwarder.activity.all();
    const registered = this.registry.replicas();
    return {
      policy: this.forwarder.balancer.policy,
      registry: this.registry.path,
      replicas: registered.map((replica) => ({ ...replica, ...this.forwarder.activity.of(replica.id) })),
      // Replicas that served calls and have left since: their counts are still part of the totals.
      departed: Object.fromEntries(Object.entries(counts).filter(([id]) => !registered.some((replica) => replica.id === id))),
    };
  }
}

function asCreateOrderReply(value: unknown): CreateOrderReply {
  const reply = asRecord(value);
  return { body: asRecord(reply.body), replayed: reply.replayed === true };
}

/** The replica a 503 names, or `gateway` when none was reached (no replica registered, none reachable). */
function replicaOf(error: ServiceError): string {
  const replica = error.responseFields().replica;
  return typeof replica === 'string' ? replica : 'gateway';
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : { result: value };
}
