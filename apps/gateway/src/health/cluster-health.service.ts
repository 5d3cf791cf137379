import { Inject, Injectable } from '@nestjs/common';
import { fourLetterWord, isNoNode, parseConnectString, parseSrvr, sortBySequence, ZookeeperSession } from '@app/zookeeper';
import { GatewayConfig, ZookeeperPaths } from '@app/contracts';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import { ReplicaRegistry } from '../discovery/replica-registry.service';
import { ZOOKEEPER_SESSION } from '../discovery/zookeeper-session.provider';

export interface ZookeeperServerHealth {
  server: string;
  /** The `Mode:` line of `srvr`; absent when the server did not answer or is not serving. */
  mode?: string;
  error?: string;
}

export interface GatewayHealth {
  status: 'up' | 'down';
  zookeeper: { session: string; servers: ZookeeperServerHealth[] };
  replicas: number;
  master: { id: string; node: string } | null;
  masterError?: string;
}

// Health answers fast or not at all: a probe that waits for a hung server is itself a hang.
const PROBE_TIMEOUT_MS = 1000;

/** What `GET /health` reports: the gateway is up when its ZooKeeper session is live and a server is serving. */
@Injectable()
export class ClusterHealth {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(ZOOKEEPER_SESSION) private readonly session: ZookeeperSession,
    private readonly registry: ReplicaRegistry,
  ) {}

  async check(): Promise<GatewayHealth> {
    const [servers, master] = await Promise.all([this.servers(), this.master()]);
    const serving = servers.some((server) => server.mode !== undefined);
    return {
      status: this.session.state === 'connected' && serving ? 'up' : 'down',
      zookeeper: { session: this.session.state, servers },
      replicas: this.registry.replicas().length,
      ...master,
    };
  }

  /** `srvr` on every server of the connect string: `ruok` answers `imok` before a server serves. */
  private servers(): Promise<ZookeeperServerHealth[]> {
    return Promise.all(
      parseConnectString(this.config.ZK_CONNECT).map(async ({ host, port }): Promise<ZookeeperServerHealth> => {
        const server = `${host}:${port}`;
        try {
          const { mode } = parseSrvr(await fourLetterWord(host, port, 'srvr', PROBE_TIMEOUT_MS));
          return mode === undefined ? { server, error: 'not serving (no Mode line)' } : { server, mode };
        } catch (error) {
          return { server, error: (error as Error).message };
        }
      }),
    );
  }

  /** The election's lowest sequence number is the master; its data is the replica id. */
  private async master(): Promise<Pick<GatewayHealth, 'master' | 'masterError'>> {
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
