import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { jsonLoggingModule } from '@app/http';
import { BackendsModule } from './backends/backends.module';
import { ClockSkewService } from './clock/clock-skew.service';
import { EpochService } from './cluster/epoch.service';
import { MastershipService } from './cluster/mastership.service';
import { RegistrationService } from './cluster/registration.service';
import { ConfigCenter } from './config/config-center.service';
import { ORDER_SERVICE_CONFIG } from './config/config.tokens';
import { OrderServiceConfig } from '@app/contracts';
import { REPLICA_IDENTITY, replicaIdentity } from './config/replica-identity';
import { BackendHealthIndicators } from './health/backend-health.indicators';
import { HealthController } from './health/health.controller';
import { PoolDepthsController } from './metrics/pool-depths.controller';
import { MetricsController } from './metrics/metrics.controller';
import { OrderMetrics } from './metrics/order-metrics';
import { OrdersController } from './orders/orders.controller';
import { OrdersRpcController } from './orders/orders.rpc-controller';
import { IdempotencyStore } from './orders/idempotency.store';
import { IssueHistory } from './orders/issue-history.service';
import { OrdersService } from './orders/orders.service';
import { StrategyRegistry } from './orders/strategy-registry.service';

@Module({})
export class OrderServiceModule {
  /** The configuration is parsed once, in main.ts (or a test), and handed in. */
  static forConfig(config: OrderServiceConfig): DynamicModule {
    return {
      module: OrderServiceModule,
      global: true,
      imports: [BackendsModule, TerminusModule, jsonLoggingModule('order-service', config.LOG_LEVEL)],
      controllers: [OrdersController, OrdersRpcController, HealthController, MetricsController, PoolDepthsController],
      providers: [
        { provide: ORDER_SERVICE_CONFIG, useValue: config },
        { provide: REPLICA_IDENTITY, useValue: replicaIdentity(config) },
        ConfigCenter,
        ClockSkewService,
        EpochService,
        StrategyRegistry,
        OrdersService,
        IssueHistory,
        IdempotencyStore,
        OrderMetrics,
        RegistrationService,
        MastershipService,
        BackendHealthIndicators,
      ],
      exports: [ORDER_SERVICE_CONFIG],
    };
  }
}
