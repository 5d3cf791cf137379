import { LocalCluster } from '@app/cluster';
import { FaultDriver, FaultSetup, FaultWindow, sleep } from './fault-driver';
import { restartServer, SERVER_DOWN_MS } from './server-restart';

const LEAD_MS = 1000;

/**
 * The standalone ZooKeeper killed and started again on its data directory: sessions shorter than
 * the outage expire with their ephemeral lock nodes and worker leases, longer ones reconnect.
 */
export class ZkRestartFault implements FaultDriver {
  readonly id = 'zk-restart' as const;
  readonly seedsMarksAhead = true;

  async setup(): Promise<FaultSetup> {
    return {};
  }

  async inject(cluster: LocalCluster): Promise<FaultWindow> {
    await sleep(LEAD_MS);
    const { killedAt, servingAt } = await restartServer(cluster.zookeeper);
    return { startedAt: killedAt, endedAt: servingAt, note: `ZooKeeper SIGKILLed, down ${SERVER_DOWN_MS} ms, restarted on its data` };
  }

  async cleanup(): Promise<void> {
    // The restarted server belongs to the cluster, which stops it.
  }
}
