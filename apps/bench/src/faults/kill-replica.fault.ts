import { LocalCluster } from '@app/cluster';
import { FaultDriver, FaultSetup, FaultWindow, sleep, TARGET_REPLICA } from './fault-driver';

const LEAD_MS = 1000;

/**
 * SIGKILL of the target mid-load, then a restart on its old ports. The fault ends at the kill:
 * the recovery time includes the restart, which is what a crashed replica costs its callers.
 */
export class KillReplicaFault implements FaultDriver {
  readonly id = 'kill-replica' as const;
  readonly seedsMarksAhead = true;

  async setup(): Promise<FaultSetup> {
    return {};
  }

  async inject(cluster: LocalCluster): Promise<FaultWindow> {
    await sleep(LEAD_MS);
    const startedAt = Date.now();
    await cluster.killReplica(TARGET_REPLICA, 'SIGKILL');
    const endedAt = Date.now();
    const restarting = Date.now();
    await cluster.startReplica(TARGET_REPLICA);
    return { startedAt, endedAt, note: `SIGKILL of ${TARGET_REPLICA}, restarted in ${Date.now() - restarting} ms` };
  }

  async cleanup(): Promise<void> {
    // The restarted replica belongs to the cluster, which the cell stops.
  }
}
