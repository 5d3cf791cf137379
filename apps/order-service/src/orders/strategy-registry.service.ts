import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { createStrategy, FaultInjector, LockedSettings, OrderNumberStrategy, StrategyName } from '@app/order-numbers';
import { ZookeeperSession } from '@app/zookeeper';
import { ConfigCenter } from '../config/config-center.service';
import { ORDER_SERVICE_CONFIG } from '../config/config.tokens';
import { OrderServiceConfig } from '../config/order-service.config';
import { REPLICA_IDENTITY, ReplicaIdentity } from '../config/replica-identity';

/**
 * Holds one instance per strategy, built on first use, and answers "which one now" from the
 * config center, so a switch takes effect on the next request without a restart.
 */
@Injectable()
export class StrategyRegistry implements BeforeApplicationShutdown {
  private readonly logger = new Logger(StrategyRegistry.name);
  private readonly instances = new Map<StrategyName, OrderNumberStrategy>();
  private readonly fault: FaultInjector;

  constructor(
    @Inject(ORDER_SERVICE_CONFIG) private readonly env: OrderServiceConfig,
    @Inject(REPLICA_IDENTITY) private readonly identity: ReplicaIdentity,
    private readonly configCenter: ConfigCenter,
    private readonly session: ZookeeperSession,
    @Inject(Redis) private readonly redis: Redis,
  ) {
    this.fault = new FaultInjector(env.FAULT_PAUSE_EVERY, env.FAULT_PAUSE_MS);
    if (this.fault.enabled) {
      this.logger.warn(`fault injection on: every ${env.FAULT_PAUSE_EVERY}th critical section pauses the process ${env.FAULT_PAUSE_MS} ms`);
    }
  }

  current(): OrderNumberStrategy {
    return this.get(this.configCenter.get().strategy);
  }

  /** The strategies built so far (metrics read their lock counters). */
  built(): OrderNumberStrategy[] {
    return [...this.instances.values()];
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.built().map((strategy) => strategy.close()));
  }

  private get(name: StrategyName): OrderNumberStrategy {
    let strategy = this.instances.get(name);
    if (!strategy) {
      strategy = createStrategy(name, {
        redis: this.redis,
        session: this.session,
        zkRoot: this.env.ZK_ROOT,
        redisPrefix: this.env.REDIS_PREFIX,
        owner: this.identity.id,
        settings: () => this.settings(),
        fault: this.fault,
      });
      this.instances.set(name, strategy);
    }
    return strategy;
  }

  private settings(): LockedSettings {
    const runtime = this.configCenter.get();
    return {
      fencing: runtime.lockFencing,
      lockTtlMs: runtime.lockTtlMs,
      lockWaitMs: this.env.LOCK_WAIT_MS,
      requestTimeoutMs: this.env.REQUEST_TIMEOUT_MS,
    };
  }
}
