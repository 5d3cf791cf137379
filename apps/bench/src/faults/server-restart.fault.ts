import { LaunchClusterOptions, LocalCluster, RestartableServer } from '@app/cluster';
import { FaultDriver, FaultSetup, FaultWindow, sleep } from './fault-driver';

/** How long the server stays dead: a crash and a supervisor's restart, not an instant bounce. */
export const SERVER_DOWN_MS = 2000;
/** Lets the load reach full speed before the fault. */
const LEAD_MS = 1000;

export type ServerRestartId = 'redis-restart' | 'redis-restart-aof' | 'zk-restart' | 'db-restart';

interface Restart {
  server(cluster: LocalCluster): RestartableServer;
  label: string;
  /** What comes back, for the window's note. */
  comesBack: string;
  /** What the fault's cluster runs differently. */
  cluster?: Pick<LaunchClusterOptions, 'redisAppendOnly'>;
  /**
   * Not for a Redis without persistence: its marks are lost with it (the local cluster runs it without persistence),
   * and what a lost mark does to numbers issued just before the crash is the window.
   */
  seedsMarksAhead: boolean;
}

const RESTARTS: Readonly<Record<ServerRestartId, Restart>> = {
  'redis-restart': { server: (cluster) => cluster.redis, label: 'Redis', comesBack: 'restarted empty (no persistence)', seedsMarksAhead: false },
  // As compose and k8s run it: every write fsynced before its reply, so nothing acknowledged is lost.
  'redis-restart-aof': {
    server: (cluster) => cluster.redis,
    label: 'Redis',
    comesBack: 'restarted on its append-only file (appendfsync always)',
    cluster: { redisAppendOnly: true },
    seedsMarksAhead: false,
  },
  // Sessions shorter than the outage expire with their ephemeral lock nodes and worker leases, longer ones reconnect.
  'zk-restart': { server: (cluster) => cluster.zookeeper, label: 'ZooKeeper', comesBack: 'restarted on its data', seedsMarksAhead: true },
  // InnoDB's committed segment ends and lock tokens survive; the held GET_LOCKs die with their connections.
  'db-restart': { server: (cluster) => cluster.mariadb, label: 'MariaDB', comesBack: 'restarted on its data', seedsMarksAhead: true },
};

/** A backend server SIGKILLed, down SERVER_DOWN_MS, and started again on its port and data directory. */
export class ServerRestartFault implements FaultDriver {
  readonly seedsMarksAhead: boolean;
  readonly cluster?: Pick<LaunchClusterOptions, 'redisAppendOnly'>;

  constructor(readonly id: ServerRestartId) {
    this.seedsMarksAhead = RESTARTS[id].seedsMarksAhead;
    this.cluster = RESTARTS[id].cluster;
  }

  async setup(): Promise<FaultSetup> {
    return {};
  }

  async inject(cluster: LocalCluster): Promise<FaultWindow> {
    const restart = RESTARTS[this.id];
    const server = restart.server(cluster);
    await sleep(LEAD_MS);
    const startedAt = Date.now();
    await cluster.killServer(restart.label, server);
    await sleep(SERVER_DOWN_MS);
    await cluster.startServer(restart.label, server);
    return { startedAt, endedAt: Date.now(), note: `${restart.label} SIGKILLed, down ${SERVER_DOWN_MS} ms, ${restart.comesBack}` };
  }

  async cleanup(): Promise<void> {
    // The restarted server belongs to the cluster, which stops it.
  }
}
