import { Inject, Injectable } from '@nestjs/common';
import { ConfigCenter } from '../config/config-center.service';
import { REPLICA_IDENTITY, ReplicaIdentity } from '../config/replica-identity';
import { OrderMetrics } from '../metrics/order-metrics';
import { parseCreateOrder } from '@app/contracts';
import { StrategyRegistry } from './strategy-registry.service';

export interface OrderResponse {
  orderNumber: string;
  strategy: string;
  replica: string;
  businessId: number;
  fencingToken: number | null;
  retries: number;
}

/** `POST /orders` for both transports (HTTP and the gateway's TCP), so they cannot drift apart. */
@Injectable()
export class OrdersService {
  constructor(
    private readonly strategies: StrategyRegistry,
    private readonly configCenter: ConfigCenter,
    private readonly metrics: OrderMetrics,
    @Inject(REPLICA_IDENTITY) private readonly identity: ReplicaIdentity,
  ) {}

  async create(body: unknown): Promise<OrderResponse> {
    const { businessId } = parseCreateOrder(body, this.configCenter.get().businessLines);
    const strategy = await this.strategies.forIssue();
    try {
      const issued = await strategy.next(businessId);
      this.metrics.issued(strategy.name);
      return {
        orderNumber: issued.orderNumber,
        strategy: strategy.name,
        replica: this.identity.id,
        businessId,
        fencingToken: issued.fencingToken ?? null,
        retries: issued.retries,
      };
    } catch (error) {
      this.metrics.failed(strategy.name);
      throw error;
    }
  }

  /** The empty handler: the same validation and transport, no order issued (the bench's baseline). */
  baseline(body: unknown): { ok: true; replica: string } {
    parseCreateOrder(body, this.configCenter.get().businessLines);
    return { ok: true, replica: this.identity.id };
  }
}
