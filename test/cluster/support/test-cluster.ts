import { rmSync } from 'node:fs';
import { launchCluster, LocalCluster } from '@app/cluster';
import { serviceDir } from '../../support/service-dirs';
import { freePortBlock } from '@app/provisioning';

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
export async function launchTestCluster(
  label: string,
  replicas: number,
  env: Record<string, string>,
  options: { ensemble?: boolean } = {},
): Promise<TestCluster> {
  const base = await freePortBlock(3 + 2 * replicas);
  // An ensemble's servers use zkPort+i for clients, +100+i for peers and +200+i for elections.
  const zkPort = options.ensemble ? await freePortBlock(203) : base + 1;
  const dir = serviceDir(`${label}-${Date.now()}`);
  const lines: string[] = [];
  const cluster = await launchCluster({
    replicas,
    gatewayPort: base,
    ensemble: options.ensemble,
    zkPort,
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
