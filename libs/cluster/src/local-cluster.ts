import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ClusterCredentials, ClusterState, ServerRole } from '@app/contracts';
import { ChildServer, ExitStatus, MariadbServer, RedisSentinelGroup, RedisServer, ZookeeperEnsemble, ZookeeperServer } from '@app/provisioning';
import { getJson, waitUntil } from './http-json';
import { NodeApp } from './node-app';

export interface ClusterReplica {
  id: string;
  httpPort: number;
  tcpPort: number;
  app: NodeApp;
}

export interface ClusterParts {
  zookeeper: ZookeeperServer | ZookeeperEnsemble;
  /** The Redis the cluster started with: under Sentinels, the primary only until the first failover. */
  redis: RedisServer;
  /** With `redisSentinel`: the replica and the Sentinels around `redis`. */
  redisSentinels?: RedisSentinelGroup;
  mariadb: MariadbServer;
  replicas: ClusterReplica[];
  gateway: NodeApp;
  gatewayPort: number;
  stateFile: string;
  /** A secure cluster's credentials and the file holding them (removed on stop). */
  credentials?: ClusterCredentials & { file: string };
  startTimeoutMs: number;
  log: (line: string) => void;
}

/** What a fault kills and starts again: one server, or the whole standalone ZooKeeper or ensemble. */
export interface RestartableServer {
  kill(): Promise<unknown>;
  start(): Promise<unknown>;
  stop(): Promise<unknown>;
}

/** A running local cluster: every process in it was started by launchCluster and is stopped by stop(). */
export class LocalCluster {
  private stopping: Promise<void> | undefined;

  constructor(private readonly parts: ClusterParts) {}

  get zookeeper(): ZookeeperServer | ZookeeperEnsemble {
    return this.parts.zookeeper;
  }

  get redis(): RedisServer {
    return this.parts.redis;
  }

  get redisSentinels(): RedisSentinelGroup | undefined {
    return this.parts.redisSentinels;
  }

  /** Where writes go now: the Sentinels' primary, or the one Redis. */
  async redisPrimary(): Promise<RedisServer> {
    return this.parts.redisSentinels ? this.parts.redisSentinels.primary() : this.parts.redis;
  }

  get mariadb(): MariadbServer {
    return this.parts.mariadb;
  }

  /** Undefined when the cluster runs open. */
  get credentials(): (ClusterCredentials & { file: string }) | undefined {
    return this.parts.credentials;
  }

  get gatewayUrl(): string {
    return `http://127.0.0.1:${this.parts.gatewayPort}`;
  }

  get state(): ClusterState {
    return {
      gateway: this.gatewayUrl,
      replicas: this.parts.replicas.map((replica) => ({
        id: replica.id,
        http: `http://127.0.0.1:${replica.httpPort}`,
        tcp: `127.0.0.1:${replica.tcpPort}`,
        pid: replica.app.pid ?? null,
      })),
      zookeeper: this.parts.zookeeper.connectString,
      redis: `127.0.0.1:${this.parts.redis.port}`,
      gatewayPid: this.parts.gateway.pid ?? null,
      database: this.parts.mariadb.url,
      servers: this.servers.map(({ role, server }) => ({ role, name: server.name, pid: server.pid ?? null })),
    };
  }

  /** Every backend server this cluster runs, by what it is for (the Sentinels count as Redis's). */
  private get servers(): { role: ServerRole; server: ChildServer }[] {
    const { zookeeper, redis, redisSentinels, mariadb } = this.parts;
    const zookeepers = zookeeper instanceof ZookeeperEnsemble ? zookeeper.servers : [zookeeper];
    const redisServers: ChildServer[] = redisSentinels ? [redis, redisSentinels.replica, ...redisSentinels.sentinels] : [redis];
    return [
      ...zookeepers.map((server) => ({ role: 'zookeeper' as const, server })),
      ...redisServers.map((server) => ({ role: 'redis' as const, server })),
      { role: 'mariadb', server: mariadb },
    ];
  }

  writeState(): void {
    mkdirSync(dirname(this.parts.stateFile), { recursive: true });
    writeFileSync(this.parts.stateFile, `${JSON.stringify(this.state, null, 2)}\n`);
  }

  /** Default SIGKILL, the crash the registry must notice by session expiry alone. */
  async killReplica(id: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const replica = this.replica(id);
    this.parts.log(`${signal} to ${id} (pid ${replica.app.pid ?? '-'})`);
    await replica.app.signal(signal);
    this.writeState();
  }

  /** Starts a stopped replica on its old ports and waits until the gateway routes to it again. */
  async startReplica(id: string): Promise<void> {
    const replica = this.replica(id);
    await this.startUnlessStopping(id, () => this.launchReplica(replica, true), () => replica.app.stop());
  }

  /** SIGKILLs one of this cluster's servers (a fault's crash); `startServer` brings it back. */
  async killServer(label: string, server: RestartableServer): Promise<void> {
    this.parts.log(`SIGKILL to ${label}`);
    await server.kill();
    this.writeState();
  }

  /**
   * Starts again a server a fault had killed, on its port and data; `start` when more than the
   * start itself brings it back (a Redis node rejoining its Sentinels as a replica).
   */
  async startServer(label: string, server: RestartableServer, start: () => Promise<unknown> = () => server.start()): Promise<void> {
    await this.startUnlessStopping(label, start, () => server.stop());
    this.parts.log(`${label} started again`);
  }

  /**
   * Runs `start` unless the cluster is stopping. If the stop began meanwhile (a fault bringing a
   * process back when Ctrl-C came), `stop`s it again: the stop may have passed it already, and it
   * would outlive the cluster.
   */
  private async startUnlessStopping(label: string, start: () => Promise<unknown>, stop: () => Promise<unknown>): Promise<void> {
    if (this.stopping) throw new Error(`${label} not started: the cluster is stopping`);
    try {
      await start();
    } finally {
      if (this.stopping) await stop();
    }
    if (this.stopping) throw new Error(`${label} stopped again: the cluster is stopping`);
    this.writeState();
  }

  /** Launches one replica and waits for `/health` 200 (and, once the gateway runs, for it to list this pid). */
  async launchReplica(replica: ClusterReplica, viaGateway: boolean): Promise<void> {
    const started = Date.now();
    await replica.app.start(`http://127.0.0.1:${replica.httpPort}/health`, replica.httpPort, this.parts.startTimeoutMs);
    if (viaGateway) {
      await waitUntil(`gateway sees ${replica.id} (pid ${replica.app.pid})`, this.parts.startTimeoutMs, () => this.gatewayLists(replica));
    }
    this.parts.log(
      `${replica.id} up (pid ${replica.app.pid}, http ${replica.httpPort}, tcp ${replica.tcpPort}) in ${Date.now() - started} ms`,
    );
  }

  /** Launches the gateway and waits until it is healthy and sees every running replica. */
  async launchGateway(): Promise<void> {
    const started = Date.now();
    const running = this.parts.replicas.filter((replica) => replica.app.running);
    await this.parts.gateway.start(`${this.gatewayUrl}/health`, this.parts.gatewayPort, this.parts.startTimeoutMs, async () => {
      const { body } = await getJson(`${this.gatewayUrl}/health`);
      const cluster = isRecord(body) && isRecord(body.details) ? body.details.cluster : undefined;
      return isRecord(cluster) && cluster.replicas === running.length;
    });
    this.parts.log(`gateway up at ${this.gatewayUrl} (pid ${this.parts.gateway.pid}) in ${Date.now() - started} ms`);
  }

  /** Stops the gateway, then the replicas, then Redis, ZooKeeper and MariaDB; removes the state file. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  private async stopAll(): Promise<void> {
    // Each step waits for all of its processes, even when one fails to stop: a caller that exits
    // on the first failure (Ctrl-C) would leave the others running.
    const failures: unknown[] = [];
    const settle = async (stops: Promise<unknown>[]) => {
      for (const outcome of await Promise.allSettled(stops)) if (outcome.status === 'rejected') failures.push(outcome.reason);
    };
    // Gateway first so that no new call reaches a replica that is shutting down.
    await settle([this.parts.gateway.stop().then((status) => this.logExit('gateway', status))]);
    await settle(this.parts.replicas.map(async (replica) => this.logExit(replica.id, await replica.app.stop())));
    const { redisSentinels, redis, zookeeper, mariadb } = this.parts;
    await settle([redisSentinels?.stop(), redis.stop(), zookeeper.stop(), mariadb.stop()].map((stop) => Promise.resolve(stop)));
    if (failures.length > 0) throw failures[0];
    rmSync(this.parts.stateFile, { force: true });
    if (this.parts.credentials) rmSync(this.parts.credentials.file, { force: true });
    this.parts.log('cluster stopped');
  }

  private logExit(name: string, status: ExitStatus | undefined): void {
    if (status) this.parts.log(`${name} exited (${status.signal ?? `code ${status.code}`})`);
  }

  private replica(id: string): ClusterReplica {
    const replica = this.parts.replicas.find((candidate) => candidate.id === id);
    if (!replica) throw new RangeError(`no replica ${id} in this cluster (${this.parts.replicas.map((r) => r.id).join(', ')})`);
    return replica;
  }

  private async gatewayLists(replica: ClusterReplica): Promise<boolean> {
    const { body } = await getJson(`${this.gatewayUrl}/replicas`);
    const listed = isRecord(body) && Array.isArray(body.replicas) ? body.replicas : [];
    return listed.some((entry: unknown) => isRecord(entry) && entry.id === replica.id && entry.pid === replica.app.pid);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
