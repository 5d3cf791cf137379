import { Inject, Injectable } from '@nestjs/common';
import { isNoNode, ZookeeperSession } from '@app/zookeeper';
import { GatewayConfig, ReplicaRegistration, ZookeeperPaths } from '@app/contracts';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { ReplicaRegistry } from '../discovery/replica-registry.service';
import { OrderForwarder } from '../forwarding/order-forwarder.service';
import { ReplicaCounts } from '../forwarding/replica-activity';
import { ClusterHealth, GatewayHealth } from '../health/cluster-health.service';
import { znodeView } from '../operators/znode-view';
import { OrderTraffic, TrafficSnapshot } from './order-traffic';

// A replica that takes longer than this to say how it is doing is shown as not answering.
const REPLICA_PROBE_MS = 800;

export interface ReplicaView extends ReplicaRegistration, ReplicaCounts {
  /** The replica's own `/status` (strategy in force, master, config and any refused one). */
  status?: Record<string, unknown>;
  /** Its `/health` verdict: `ok` while its ZooKeeper session and Redis serve. */
  health?: { status: string; details?: unknown };
  error?: string;
}

export interface ClusterSnapshot {
  at: string;
  gateway: GatewayHealth;
  replicas: ReplicaView[];
  /** Snowflake worker-ID leases: the ephemeral `/workers/NN` nodes and who holds them. */
  workers: { workerId: string; holder: unknown; session: string | null }[];
  traffic: TrafficSnapshot;
  /** `redis-pregen` pool depths per business line, from the first replica that answers (they share one Redis). */
  pools: { depths: Record<string, number> } | { error: string };
}

/** One picture of the cluster for the console's live view, taken every second while someone watches. */
@Injectable()
export class ClusterSnapshots {
  private readonly paths: ZookeeperPaths;

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly session: ZookeeperSession,
    private readonly registry: ReplicaRegistry,
    private readonly forwarder: OrderForwarder,
    private readonly health: ClusterHealth,
    private readonly traffic: OrderTraffic,
  ) {
    this.paths = new ZookeeperPaths(config.ZK_ROOT);
  }

  async take(): Promise<ClusterSnapshot> {
    const [gateway, replicas, workers] = await Promise.all([
      this.health.summary(),
      Promise.all(this.registry.replicas().map((replica) => this.replica(replica))),
      this.workers().catch(() => []), // the gateway's own health above says when ZooKeeper is away
    ]);
    const pools = await this.pools(replicas);
    return { at: new Date().toISOString(), gateway, replicas, workers, traffic: this.traffic.snapshot(), pools };
  }

  private async replica(replica: ReplicaRegistration): Promise<ReplicaView> {
    const view: ReplicaView = { ...replica, ...this.forwarder.activity.of(replica.id) };
    const base = `http://${replica.host}:${replica.httpPort}`;
    const [status, health] = await Promise.allSettled([probe(`${base}/status`), probe(`${base}/health`)]);
    if (status.status === 'fulfilled') view.status = status.value;
    else view.error = String((status.reason as Error).message);
    // /health answers 503 with the same body when down: probe() passes both through.
    if (health.status === 'fulfilled') view.health = { status: String(health.value.status), details: health.value.details ?? health.value.error };
    return view;
  }

  private async pools(replicas: ReplicaView[]): Promise<ClusterSnapshot['pools']> {
    const answering = replicas.find((replica) => replica.status !== undefined);
    if (!answering) return { error: 'no replica answers' };
    try {
      const { pools, message } = await probe(`http://${answering.host}:${answering.httpPort}/status/pools`);
      return typeof pools === 'object' && pools !== null ? { depths: pools as Record<string, number> } : { error: String(message) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }

  private async workers(): Promise<ClusterSnapshot['workers']> {
    const api = this.session.api();
    let names: string[];
    try {
      names = (await api.getChildren(this.paths.workers)).sort();
    } catch (error) {
      if (isNoNode(error)) return [];
      throw error;
    }
    const nodes = await Promise.all(
      names.map(async (name) => {
        try {
          const { data, stat } = await api.getData(`${this.paths.workers}/${name}`);
          const view = znodeView(name, data, stat);
          return { workerId: name, holder: view.data, session: view.stat.ephemeralOwner };
        } catch (error) {
          if (isNoNode(error)) return undefined; // released between the listing and the read
          throw error;
        }
      }),
    );
    return nodes.filter((node) => node !== undefined);
  }
}

async function probe(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, { signal: AbortSignal.timeout(REPLICA_PROBE_MS) });
  return (await response.json()) as Record<string, unknown>;
}
