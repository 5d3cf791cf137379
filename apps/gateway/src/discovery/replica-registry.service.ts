import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ServiceDiscovery, ZookeeperSession } from '@app/zookeeper';
import { GatewayConfig, parseReplicaRegistration, ReplicaRegistration as Replica, ZookeeperPaths } from '@app/contracts';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';

/** The order-service replicas currently registered in ZooKeeper, sorted by id. */
@Injectable()
export class ReplicaRegistry implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ReplicaRegistry.name);
  private readonly discovery: ServiceDiscovery<Replica>;
  readonly path: string;

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    session: ZookeeperSession,
  ) {
    this.path = new ZookeeperPaths(config.ZK_ROOT).registry;
    this.discovery = new ServiceDiscovery<Replica>({ session, path: this.path, parse: parseReplicaRegistration, logger: this.logger });
    this.discovery.on('change', (instances) =>
      this.logger.log(`replicas in ${this.path}: [${instances.map((instance) => instance.id).join(', ')}]`),
    );
  }

  async onModuleInit(): Promise<void> {
    await this.discovery.start();
  }

  onApplicationShutdown(): void {
    this.discovery.stop();
  }

  replicas(): Replica[] {
    return this.discovery.instances.map((instance) => instance.data);
  }

  /** Calls `listener` with the new list after every change. */
  onChange(listener: (replicas: Replica[]) => void): void {
    this.discovery.on('change', (instances) => listener(instances.map((instance) => instance.data)));
  }
}
