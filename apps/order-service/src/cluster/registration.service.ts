import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { EphemeralNode, ZookeeperSession } from '@app/zookeeper';
import { ORDER_SERVICE_CONFIG } from '../config/config.tokens';
import { OrderServiceConfig, ZookeeperPaths } from '@app/contracts';
import { REPLICA_IDENTITY, ReplicaIdentity } from '../config/replica-identity';

/**
 * This replica's entry in the service registry: `<ZK_ROOT>/services/order-service/<id>`,
 * ephemeral, data = its address. Registered only once HTTP and TCP listen (main.ts), so the
 * gateway never routes to a replica that cannot answer yet; re-created after a session expiry.
 */
@Injectable()
export class RegistrationService implements BeforeApplicationShutdown {
  private node?: EphemeralNode;

  constructor(
    @Inject(ORDER_SERVICE_CONFIG) private readonly env: OrderServiceConfig,
    @Inject(REPLICA_IDENTITY) private readonly identity: ReplicaIdentity,
    private readonly session: ZookeeperSession,
  ) {}

  async register(): Promise<void> {
    const path = new ZookeeperPaths(this.env.ZK_ROOT).registryEntry(this.identity.id);
    this.node = new EphemeralNode(this.session, path, Buffer.from(JSON.stringify(this.identity)), new Logger(RegistrationService.name));
    await this.node.start();
  }

  /** Leave the rotation first, so the gateway stops sending before we stop serving. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.node?.close();
  }
}
