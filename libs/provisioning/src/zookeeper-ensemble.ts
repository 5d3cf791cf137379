import { join } from 'node:path';
import { freePorts } from './free-port';
import { ServiceStartError } from './errors';
import { QuorumMember } from './zoo-cfg';
import { ZookeeperServer, ZookeeperServerOptions } from './zookeeper-server';

export interface ZookeeperEnsembleOptions extends Pick<ZookeeperServerOptions, 'tickTimeMs' | 'env' | 'settings' | 'jvmOptions'> {
  /** Absolute; each server gets `<baseDir>/zk<id>`. */
  baseDir: string;
  /** Client, peer and election ports per server; see ZookeeperEnsemble.onFreePorts. */
  members: readonly QuorumMember[];
  /** Deadline for start() to see every server serving and one leader; default 30 s. */
  startTimeoutMs?: number;
}

/** A ZooKeeper quorum of child processes on loopback, with per-server access for fault injection. */
export class ZookeeperEnsemble {
  readonly servers: readonly ZookeeperServer[];

  constructor(private readonly options: ZookeeperEnsembleOptions) {
    this.servers = options.members.map(
      (member) =>
        new ZookeeperServer({
          dataDir: join(options.baseDir, `zk${member.id}`),
          clientPort: member.clientPort,
          tickTimeMs: options.tickTimeMs,
          startTimeoutMs: options.startTimeoutMs,
          env: options.env,
          settings: options.settings,
          jvmOptions: options.jvmOptions,
          quorum: { myid: member.id, members: options.members },
        }),
    );
  }

  /** An ensemble of `size` servers (default 3) on ports the OS reports free. */
  static async onFreePorts(options: Omit<ZookeeperEnsembleOptions, 'members'> & { size?: number }): Promise<ZookeeperEnsemble> {
    const size = options.size ?? 3;
    const ports = await freePorts(3 * size);
    const members = Array.from({ length: size }, (_, i) => ({
      id: i + 1,
      clientPort: ports[3 * i],
      peerPort: ports[3 * i + 1],
      electionPort: ports[3 * i + 2],
    }));
    return new ZookeeperEnsemble({ ...options, members });
  }

  get connectString(): string {
    return this.servers.map((server) => server.connectString).join(',');
  }

  /** Launches every server, then waits until all serve (which implies an elected leader). */
  async start(): Promise<this> {
    try {
      for (const server of this.servers) await server.launch();
      await Promise.all(this.servers.map((server) => server.waitServing(this.options.startTimeoutMs)));
      await this.waitForLeader(this.options.startTimeoutMs ?? 30_000);
    } catch (error) {
      await this.kill(); // half an ensemble is of no use to the caller, and must not be orphaned
      throw error;
    }
    return this;
  }

  /** The server whose `srvr` says `Mode: leader` right now, if any. */
  async leader(): Promise<ZookeeperServer | undefined> {
    const modes = await Promise.all(this.servers.map((server) => server.mode()));
    return this.servers[modes.indexOf('leader')];
  }

  async followers(): Promise<ZookeeperServer[]> {
    const modes = await Promise.all(this.servers.map((server) => server.mode()));
    return this.servers.filter((_, i) => modes[i] === 'follower');
  }

  /** Polls until some server other than `exclude` leads, e.g. after the old leader was killed. */
  async waitForLeader(timeoutMs = 10_000, exclude?: ZookeeperServer): Promise<ZookeeperServer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const modes = await Promise.all(this.servers.map((server) => server.mode()));
      const leader = this.servers[modes.indexOf('leader')];
      if (leader && leader !== exclude) return leader;
      if (Date.now() > deadline) {
        const detail = `no leader within ${timeoutMs} ms (modes: ${modes.map((mode) => mode ?? 'down').join(', ')})`;
        const logs = this.servers.map((server) => server.logFile).join(', ');
        throw new ServiceStartError('ZooKeeper ensemble', 'timeout', detail, logs, '');
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.stop()));
  }

  async kill(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.kill()));
  }
}
