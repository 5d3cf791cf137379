import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { isNoNode, probeServers, ServerProbe, sortBySequence, ZookeeperSession } from '@app/zookeeper';
import { GatewayConfig, ZookeeperPaths } from '@app/contracts';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { ReplicaRegistry } from '../discovery/replica-registry.service';

interface MasterView {
  master: { id: string; node: string } | null;
  masterError?: string;
}

/** The gateway's health in one object, for the console's live view. */
export interface GatewayHealth extends MasterView {
  status: 'up' | 'down';
  zookeeper: { session: string; servers: ServerProbe[] };
  replicas: number;
}

// Health answers fast or not at all: a probe that waits for a hung server is itself a hang.
const PROBE_TIMEOUT_MS = 1000;

/**
 * The gateway's terminus indicators, as the replica has its own: `zookeeper` is up when the
 * session is live and a server is serving; `cluster` (always up) counts the registered replicas
 * and names the master.
 */
@Injectable()
export class ClusterHealth {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly indicators: HealthIndicatorService,
    private readonly session: ZookeeperSession,
    private readonly registry: ReplicaRegistry,
  ) {}

  async zookeeper(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('zookeeper');
    const servers = await probeServers(this.session.connectString, PROBE_TIMEOUT_MS);
    const serving = servers.some((server) => server.mode !== undefined);
    const details = { session: this.session.state, servers };
    return this.session.state === 'connected' && serving ? check.up(details) : check.down(details);
  }

  async cluster(): Promise<HealthIndicatorResult> {
    return this.indicators.check('cluster').up({ replicas: this.registry.replicas().length, ...(await this.master()) });
  }

  /** What the two indicators report, as one object (the console's live view shows it every second). */
  async summary(): Promise<GatewayHealth> {
    const [servers, master] = await Promise.all([probeServers(this.session.connectString, PROBE_TIMEOUT_MS), this.master()]);
    const serving = this.session.state === 'connected' && servers.some((server) => server.mode !== undefined);
    return { status: serving ? 'up' : 'down', zookeeper: { session: this.session.state, servers }, replicas: this.registry.replicas().length, ...master };
  }

  /** The election's lowest sequence number is the master; its data is the replica id. */
  private async master(): Promise<MasterView> {
    const path = new ZookeeperPaths(this.config.ZK_ROOT).election;
    try {
      const api = this.session.api();
      const candidates = await api.getChildren(path);
      const [lowest] = sortBySequence(candidates);
      if (lowest === undefined) return { master: null };
      const { data } = await api.getData(`${path}/${lowest}`);
      return { master: { id: data?.toString('utf8') ?? '', node: lowest } };
    } catch (error) {
      if (isNoNode(error)) return { master: null };
      return { master: null, masterError: (error as Error).message };
    }
  }
}
