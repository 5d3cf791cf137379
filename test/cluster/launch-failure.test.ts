import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { launchCluster } from '@app/cluster';
import { freePortBlock } from '@app/provisioning';
import { serviceDir } from '../support/service-dirs';

// A launch that fails part-way stops everything it started, a server still starting when another
// failed included. MariaDB initialises its data directory before its server starts: a launch that
// stopped as soon as Redis failed left that to finish, and a mariadbd came up afterwards, outside
// any cluster, writing into the directory a retried launch was removing (ENOTEMPTY).

/** Command lines of the processes that name `dir`. */
function processesUsing(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (command.includes(dir)) found.push(`${pid}: ${command}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('a cluster launch that fails', () => {
  it('leaves no server of its own running, not even one that was still starting', async () => {
    const base = await freePortBlock(6);
    const dir = serviceDir(`launch-failure-${Date.now()}`);
    const redisPort = await listen(base + 2); // someone else's Redis, say: the cluster's cannot start
    try {
      await expect(
        launchCluster({
          replicas: 1,
          gatewayPort: base,
          zkPort: base + 1,
          redisPort: base + 2,
          replicaBasePort: base + 3,
          replicaTcpBasePort: base + 4,
          dataDir: `${dir}/data`,
          stateFile: `${dir}/state.json`,
        }),
      ).rejects.toThrow(String(base + 2));
      // Watched for a while: without the fix, the initialisation runs on and its server appears.
      for (let i = 0; i < 20; i += 1) {
        expect(processesUsing(dir)).toEqual([]);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      rmSync(dir, { recursive: true });
    } finally {
      redisPort.close();
    }
  });
});
