import { DynamicModule, Module, OnApplicationShutdown } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { jsonLoggingModule } from '@app/http';
import { ZookeeperSession } from '@app/zookeeper';
import { GatewayConfig } from '@app/contracts';
import { AdminToken } from './auth/admin-token';
import { GATEWAY_CONFIG } from './config/gateway-config.token';
import { ReplicaRegistry } from './discovery/replica-registry.service';
import { zookeeperSessionProvider } from './discovery/zookeeper-session.provider';
import { OrderForwarder } from './forwarding/order-forwarder.service';
import { ReplicaClients } from './forwarding/replica-clients.service';
import { ClusterHealth } from './health/cluster-health.service';
import { HealthController } from './health/health.controller';
import { FourLetterWordRelay } from './operators/four-letter-words.service';
import { ZnodeTreeReader } from './operators/znode-tree.service';
import { ZookeeperOperatorsController } from './operators/zookeeper-operators.controller';
import { OrdersController } from './orders/orders.controller';
import { ClusterSnapshots } from './console/cluster-snapshot.service';
import { ConfigEditor } from './console/config-editor.service';
import { ConsoleController } from './console/console.controller';
import { OperatorWritesController } from './console/operator-writes.controller';
import { OrderDecodeController } from './console/order-decode.controller';
import { OrderTraffic } from './console/order-traffic';
import { ZnodeWatch } from './console/znode-watch.service';
import { ZnodeWriter } from './console/znode-writer.service';

@Module({})
export class GatewayModule implements OnApplicationShutdown {
  constructor(private readonly session: ZookeeperSession) {}

  /** The configuration is parsed once, in main.ts, and handed in: nothing below reads process.env. */
  static forRoot(config: GatewayConfig, options: { silent?: boolean } = {}): DynamicModule {
    return {
      module: GatewayModule,
      imports: [TerminusModule, jsonLoggingModule('gateway', options.silent ? 'silent' : config.LOG_LEVEL)],
      controllers: [
        OrdersController,
        HealthController,
        ZookeeperOperatorsController,
        OrderDecodeController,
        ConsoleController,
        OperatorWritesController,
      ],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: AdminToken, useValue: new AdminToken(config.ADMIN_TOKEN) },
        zookeeperSessionProvider,
        ReplicaRegistry,
        ReplicaClients,
        OrderForwarder,
        ClusterHealth,
        FourLetterWordRelay,
        ZnodeTreeReader,
        { provide: OrderTraffic, useFactory: () => new OrderTraffic() },
        ClusterSnapshots,
        ZnodeWatch,
        ZnodeWriter,
        ConfigEditor,
      ],
    };
  }

  /** Last, after the providers: their shutdown hooks still use the session. */
  async onApplicationShutdown(): Promise<void> {
    await this.session.close();
  }
}
