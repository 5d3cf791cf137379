import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import { GatewayConfig } from '@app/contracts';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { ReplicaRegistration as Replica } from '@app/contracts';
import { ReplicaRegistry } from '../discovery/replica-registry.service';
import { CorkedJsonSocket } from '@app/http';

interface Entry {
  replica: Replica;
  client: ClientProxy;
}

/**
 * One TCP ClientProxy per registered replica, created on first use and closed when the replica
 * leaves the registry (or re-registers at another address).
 */
@Injectable()
export class ReplicaClients implements OnApplicationShutdown {
  private readonly logger = new Logger(ReplicaClients.name);
  private readonly entries = new Map<string, Entry>();
  private readonly retiring = new Set<NodeJS.Timeout>();

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    registry: ReplicaRegistry,
  ) {
    registry.onChange((replicas) => this.sync(replicas));
  }

  clientFor(replica: Replica): ClientProxy {
    const entry = this.entries.get(replica.id);
    if (entry && sameAddress(entry.replica, replica)) return entry.client;
    if (entry) this.retire(entry);
    const client = ClientProxyFactory.create({
      transport: Transport.TCP,
      options: { host: replica.host, port: replica.tcpPort, socketClass: CorkedJsonSocket },
    });
    this.entries.set(replica.id, { replica, client });
    return client;
  }

  /** Drops a client whose connection attempt failed or hung, so the next call dials afresh. */
  discard(replica: Replica): void {
    const entry = this.entries.get(replica.id);
    if (!entry || !sameAddress(entry.replica, replica)) return;
    this.entries.delete(replica.id);
    entry.client.close();
  }

  onApplicationShutdown(): void {
    for (const timer of this.retiring) clearTimeout(timer);
    for (const entry of this.entries.values()) entry.client.close();
    this.entries.clear();
  }

  private sync(replicas: readonly Replica[]): void {
    const current = new Map(replicas.map((replica) => [replica.id, replica]));
    for (const [id, entry] of this.entries) {
      const now = current.get(id);
      if (now && sameAddress(entry.replica, now)) continue;
      this.entries.delete(id);
      this.retire(entry);
    }
  }

  /**
   * Closes a client once its calls have had their full RPC timeout to finish. A replica that
   * deregisters on SIGTERM still answers what it has started; closing at once would turn those
   * answers into "fate unknown" errors.
   */
  private retire(entry: Entry): void {
    this.logger.log(
      `closing client of replica ${entry.replica.id} (${entry.replica.host}:${entry.replica.tcpPort}) after ${this.config.RPC_TIMEOUT_MS} ms`,
    );
    const timer = setTimeout(() => {
      this.retiring.delete(timer);
      entry.client.close();
    }, this.config.RPC_TIMEOUT_MS + 1000);
    timer.unref();
    this.retiring.add(timer);
  }
}

function sameAddress(a: Replica, b: Replica): boolean {
  return a.host === b.host && a.tcpPort === b.tcpPort && a.pid === b.pid;
}
