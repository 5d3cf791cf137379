import { rmSync } from 'node:fs';
import { launchCluster } from '../../../scripts/cluster/launch-cluster';
import { LocalCluster } from '../../../scripts/cluster/local-cluster';
import { serviceDir } from '../../support/service-dirs';
import { freePortBlock } from './port-block';

export interface TestCluster {
  cluster: LocalCluster;
  /** Lines the launcher logged, plus whatever the test adds; printed when the cluster stops. */
  lines: string[];
  stop(): Promise<void>;
}

/**
 * A local cluster (real ZooKeeper, Redis, replica processes, gateway) on a block of free ports,
 * with its data in the test run's own folder, so that it meets neither a developer's cluster on
 * the default ports nor another test run.
 */
export async function launchTestCluster(label: string, replicas: number, env: Record<string, string>): Promise<TestCluster> {
  const base = await freePortBlock(3 + 2 * replicas);
  const dir = serviceDir(`${label}-${Date.now()}`);
  const lines: string[] = [];
  const cluster = await launchCluster({
    replicas,
    gatewayPort: base,
    zkPort: base + 1,
    redisPort: base + 2,
    replicaBasePort: base + 3,
    replicaTcpBasePort: base + 3 + replicas,
    dataDir: `${dir}/data`,
    stateFile: `${dir}/state.json`,
    env,
    log: (line) => lines.push(line),
  });
  return {
    cluster,
    lines,
    async stop() {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
      console.log(lines.join('\n'));
    },
  };
}
