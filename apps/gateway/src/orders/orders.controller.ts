import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ReplicaRegistry } from '../discovery/replica-registry.service';
import { OrderForwarder } from '../forwarding/order-forwarder.service';
import { parseOrderBody, RPC_PATTERNS } from '@app/contracts';

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
  ) {}

  @Post('orders')
  @HttpCode(201)
  async create(@Body() body: unknown): Promise<Record<string, unknown>> {
    const { replica, body: answer } = await this.forwarder.forward(RPC_PATTERNS.createOrder, parseOrderBody(body));
    return { ...asRecord(answer), servedBy: replica };
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

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : { result: value };
}
