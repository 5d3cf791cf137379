import { mkdirSync, rmSync } from 'node:fs';
import { ClusterCredentials, ClusterState, credentialsFileOf, generateClusterCredentials, readClusterStateSync, writeClusterCredentials } from '@app/contracts';
import { isAbsolute, join, resolve } from 'node:path';
import {
  freePort,
  freePorts,
  MariadbServer,
  RedisSentinelGroup,
  RedisSentinelGroupOptions,
  RedisServer,
  replicaAnnounceArgs,
  ZookeeperEnsemble,
  ZookeeperServer,
} from '@app/provisioning';
import { clusterSettings, gatewayEnv, replicaEnv } from './cluster-env';
import { ClusterReplica, LocalCluster } from './local-cluster';
import { NodeApp } from './node-app';
import { REPO_ROOT } from './repo-root';

export interface LaunchClusterOptions {
  /** Default 3. */
  replicas?: number;
  /** A 3-node ZooKeeper ensemble instead of one standalone server. */
  ensemble?: boolean;
  /** App settings (ORDER_STRATEGY, LB_POLICY, ...) over the launcher's own environment. */
  env?: Record<string, string>;
  /**
   * Settings for one replica only, over everything else (even the addresses the launcher assigns):
   * `npm run faults` routes one replica through a proxy or pauses only that one.
   */
  replicaEnv?: (id: string) => Record<string, string>;
  /** Default 3000. */
  gatewayPort?: number;
  /** Replica i serves HTTP on base+i; default 3101. */
  replicaBasePort?: number;
  /** Replica i serves TCP on base+i; default replicaBasePort + 1000. */
  replicaTcpBasePort?: number;
  /**
   * Default 2181. An ensemble uses clients zkPort..zkPort+2, peers zkPort+100.., elections
   * zkPort+200.. (2181-2183, 2281-2283, 2381-2383 by default).
   */
  zkPort?: number;
  /** Default 6379. */
  redisPort?: number;
  /**
   * Redis with the persistence compose and k8s ship (`appendonly yes`, `appendfsync always`)
   * instead of none: its marks, fences and pools survive a restart. Default off.
   */
  redisAppendOnly?: boolean;
  /**
   * Redis as a primary, a replica and three Sentinels (quorum 2) on ports the OS picks; the
   * replicas find the primary through the Sentinels (REDIS_SENTINELS) and follow its failovers.
   */
  redisSentinel?: boolean;
  /** With `redisSentinel`: the replica trails its primary this far, through a proxy (ReplicationLagProxy). Default 0, no proxy. */
  redisReplicationLagMs?: number;
  /** MariaDB for the database strategies; default a free port the OS picks (the CLI passes 3306). */
  mariadbPort?: number;
  /** Default `.cluster/state.json` in the repository. */
  stateFile?: string;
  /** Wiped at launch so every run starts from empty ZooKeeper and Redis; default `.cluster/data`. */
  dataDir?: string;
  /** Deadline for each part to answer; default 60 s. */
  startTimeoutMs?: number;
  log?: (line: string) => void;
  /**
   * Credentials on (DESIGN §5): fresh ones are generated into `credentials` beside the state file
   * (mode 0600); Redis gets `requirepass`, the apps ZK_AUTH and the gateway ADMIN_TOKEN. Off, the
   * file is removed and everything is open (ADMIN_TOKEN / ZK_AUTH from the environment still pass on).
   */
  secure?: boolean;
}

/** docker-compose.yml's and k8s/redis.yaml's persistence; later arguments win over RedisServer's `--appendonly no`. */
const APPEND_ONLY = ['--appendonly', 'yes', '--appendfsync', 'always'] as const;

/**
 * Starts ZooKeeper, Redis and MariaDB, the replicas and the gateway, in that order, each once the one before
 * answers, then writes the state file. On any failure everything already started is stopped.
 */
export async function launchCluster(options: LaunchClusterOptions = {}): Promise<LocalCluster> {
  NodeApp.assertBuilt('order-service');
  NodeApp.assertBuilt('gateway');
  const log = options.log ?? (() => undefined);
  const count = options.replicas ?? 3;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`replicas must be a positive integer, not ${count}`);
  const dataDir = absolute(options.dataDir ?? '.cluster/data');
  const stateFile = absolute(options.stateFile ?? '.cluster/state.json');
  assertNotRunning(stateFile);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(join(dataDir, 'logs'), { recursive: true });
  const credentialsFile = credentialsFileOf(stateFile);
  rmSync(credentialsFile, { force: true });
  const credentials: ClusterCredentials | undefined = options.secure ? generateClusterCredentials() : undefined;
  if (credentials) writeClusterCredentials(credentialsFile, credentials);
  const zkPort = options.zkPort ?? 2181;
  const zookeeper = options.ensemble
    ? new ZookeeperEnsemble({
        baseDir: join(dataDir, 'zookeeper'),
        members: [0, 1, 2].map((i) => ({ id: i + 1, clientPort: zkPort + i, peerPort: zkPort + 100 + i, electionPort: zkPort + 200 + i })),
      })
    : new ZookeeperServer({ dataDir: join(dataDir, 'zookeeper'), clientPort: zkPort });
  const lag = options.redisSentinel && options.redisReplicationLagMs ? await replicationLag(options.redisReplicationLagMs) : undefined;
  const redis = new RedisServer({
    dataDir: join(dataDir, 'redis'),
    port: options.redisPort ?? 6379,
    password: credentials?.REDIS_PASSWORD,
    extraArgs: [...(options.redisAppendOnly ? APPEND_ONLY : []), ...(lag ? replicaAnnounceArgs(lag.primaryFrontPort) : [])],
  });
  const redisSentinels = options.redisSentinel ? await sentinelGroup(dataDir, redis, credentials?.REDIS_PASSWORD, lag) : undefined;
  const mariadb = new MariadbServer({ dataDir: join(dataDir, 'mariadb'), port: options.mariadbPort ?? (await freePort()) });
  const secured: Record<string, string> = credentials ? { ZK_AUTH: credentials.ZK_AUTH, ADMIN_TOKEN: credentials.ADMIN_TOKEN } : {};
  const settings = clusterSettings({ ...options.env, ...secured });
  const httpBase = options.replicaBasePort ?? 3101;
  const tcpBase = options.replicaTcpBasePort ?? httpBase + 1000;
  const replicas: ClusterReplica[] = Array.from({ length: count }, (_, i) => {
    const address = { id: `order-${i + 1}`, httpPort: httpBase + i, tcpPort: tcpBase + i };
    const env = {
      ...replicaEnv(settings, address, zookeeper.connectString, redis.url, mariadb.url),
      ...(redisSentinels && { REDIS_SENTINELS: redisSentinels.addresses, REDIS_MASTER_NAME: redisSentinels.masterName }),
      ...options.replicaEnv?.(address.id),
    };
    return { ...address, app: new NodeApp(address.id, 'order-service', join(dataDir, 'logs', `${address.id}.log`), env) };
  });
  const gatewayPort = options.gatewayPort ?? 3000;
  const gateway = new NodeApp(
    'gateway',
    'gateway',
    join(dataDir, 'logs', 'gateway.log'),
    gatewayEnv(settings, gatewayPort, zookeeper.connectString),
  );
  const cluster = new LocalCluster({
    zookeeper,
    redis,
    redisSentinels,
    mariadb,
    replicas,
    gateway,
    gatewayPort,
    stateFile,
    credentials: credentials && { ...credentials, file: credentialsFile },
    startTimeoutMs: options.startTimeoutMs ?? 60_000,
    log,
  });
  try {
    const started = Date.now();
    // Every start settles before a failure is handled: a MariaDB still initialising its data
    // directory when Redis failed would come up after the stop below, outside any cluster.
    const servers = await Promise.allSettled([zookeeper.start(), redis.start().then(() => redisSentinels?.start()), mariadb.start()]);
    const failed = servers.find((server): server is PromiseRejectedResult => server.status === 'rejected');
    if (failed) throw failed.reason;
    log(`ZooKeeper ${zookeeper.connectString}, Redis 127.0.0.1:${redis.port} and ${mariadb.url} up in ${Date.now() - started} ms (data in ${dataDir})`);
    await Promise.all(replicas.map((replica) => cluster.launchReplica(replica, false)));
    await cluster.launchGateway();
    cluster.writeState();
    log(`cluster ready in ${Date.now() - started} ms`);
    return cluster;
  } catch (error) {
    rmSync(credentialsFile, { force: true });
    await cluster.stop();
    throw error;
  }
}

type ReplicationLag = RedisSentinelGroupOptions['replicationLag'];

async function replicationLag(ms: number): Promise<ReplicationLag> {
  const [primaryFrontPort, replicaFrontPort] = await freePorts(2);
  return { ms, primaryFrontPort, replicaFrontPort };
}

/** A replica of `primary` and three Sentinels watching both, under the master name the apps default to. */
async function sentinelGroup(
  dataDir: string,
  primary: RedisServer,
  password: string | undefined,
  replicationLag: ReplicationLag,
): Promise<RedisSentinelGroup> {
  const [replicaPort, ...sentinelPorts] = await freePorts(4);
  const baseDir = join(dataDir, 'redis-sentinel');
  return new RedisSentinelGroup({ baseDir, primary, replicaPort, sentinelPorts, masterName: 'ordernum', password, replicationLag });
}

/** Wiping the data of a cluster that still runs would pull its servers' files from under them. */
function assertNotRunning(stateFile: string): void {
  let state: ClusterState | undefined;
  try {
    state = readClusterStateSync(stateFile);
  } catch {
    return; // a state file that is not one was not written by a cluster of ours
  }
  if (!state) return;
  const alive = state.replicas.filter((replica) => replica.pid !== null && isAlive(replica.pid));
  if (alive.length > 0) {
    throw new Error(
      `a cluster is already running (${stateFile}: ${alive.map((r) => `${r.id} pid ${r.pid}`).join(', ')}); stop it first or pass another stateFile/dataDir`,
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false; // ESRCH: gone (EPERM would mean someone else's process, which is not ours either)
  }
}

function absolute(path: string): string {
  return isAbsolute(path) ? path : resolve(REPO_ROOT, path);
}
