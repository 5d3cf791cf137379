import Redis from 'ioredis';
import { LocalCluster } from '@app/cluster';
import { StrategyName, ZookeeperPaths, zookeeperRoot } from '@app/contracts';
import { isNoNode, isNotEmpty, ZnodeShell, ZookeeperSession } from '@app/zookeeper';
import { FaultDriver, FaultSetup, FaultWindow, sleep } from './fault-driver';

/** Lets the load reach full speed before the fault. */
const LEAD_MS = 1000;
/** An operator who deletes, sees the lock come back, and deletes it again. */
const ROUNDS = 3;
const ROUND_GAP_MS = 500;
/** The replicas' default REDIS_PREFIX: the fault's cluster is started without another. */
const REDIS_PREFIX = 'ordernum:';

/** What deletes one strategy's locks: `run` deletes them once and says how many it deleted. */
interface LockDeleter {
  what: string;
  run(): Promise<number>;
  close(): Promise<void>;
}

/** The strategies whose lock is a node or a key an operator can delete. */
export const DELETABLE_LOCKS: readonly StrategyName[] = ['zookeeper', 'zookeeper-ephemeral', 'redis', 'redlock'];

/**
 * An operator deleting the lock under load, three times: `deleteall` of the ZooKeeper lock
 * folder (zkCli's verbs, through ZnodeShell) or `DEL` of the Redis lock keys, whoever holds them.
 * The holder's lease is gone while it may still be inside its critical section: the lock must
 * heal (no 500, 201 again) and fencing must refuse the write of the holder it overtook.
 */
export class DeleteLockFault implements FaultDriver {
  readonly id = 'delete-lock' as const;
  readonly seedsMarksAhead = true;

  async setup(): Promise<FaultSetup> {
    return {};
  }

  async inject(cluster: LocalCluster, strategy: StrategyName): Promise<FaultWindow> {
    const deleteOnce = await this.deleter(cluster, strategy);
    try {
      await sleep(LEAD_MS);
      const startedAt = Date.now();
      let deleted = 0;
      for (let round = 1; round <= ROUNDS; round += 1) {
        deleted += await deleteOnce.run();
        if (round < ROUNDS) await sleep(ROUND_GAP_MS);
      }
      return { startedAt, endedAt: Date.now(), note: `${deleteOnce.what} deleted ${ROUNDS} times, ${ROUND_GAP_MS} ms apart (${deleted} deleted in all)` };
    } finally {
      await deleteOnce.close();
    }
  }

  async cleanup(): Promise<void> {
    // Nothing outside the cluster: the locks heal by themselves, which is what the cell measures.
  }

  private async deleter(cluster: LocalCluster, strategy: StrategyName): Promise<LockDeleter> {
    if (strategy === 'zookeeper' || strategy === 'zookeeper-ephemeral') {
      const paths = new ZookeeperPaths(zookeeperRoot());
      const folder = strategy === 'zookeeper' ? paths.sequentialLocks : paths.ephemeralLocks;
      const session = await ZookeeperSession.open({ connect: cluster.state.zookeeper, sessionTimeoutMs: 10_000 });
      const shell = new ZnodeShell(() => session.api(), paths.root);
      return { what: `ZooKeeper lock folder ${folder}`, run: () => deleteLockNodes(shell, folder), close: () => session.close() };
    }
    if (strategy === 'redis' || strategy === 'redlock') {
      const pattern = `${REDIS_PREFIX}${strategy === 'redis' ? 'lock' : 'redlock'}:*`;
      const redis = new Redis({ host: '127.0.0.1', port: cluster.redis.port, maxRetriesPerRequest: 1 });
      const run = async (): Promise<number> => {
        const keys: string[] = [];
        for await (const batch of redis.scanStream({ match: pattern, count: 1000 })) keys.push(...(batch as string[]));
        return keys.length === 0 ? 0 : redis.del(...keys);
      };
      return { what: `Redis lock keys ${pattern}`, run, close: async () => void redis.disconnect() };
    }
    throw new Error(`delete-lock: ${strategy} has no lock node or key to delete`);
  }
}

/**
 * zkCli's `deleteall` against a busy lock, once: every node under the folder as listed, deepest
 * first, then the folder. Contenders create nodes meanwhile, so a folder is often NOT_EMPTY by the
 * time its turn comes; it stays, and what the fault is about is gone: the holder's node and the
 * queue behind it. (Retrying until the folder itself goes, as an operator might, never ends under
 * 16 connections.)
 */
async function deleteLockNodes(shell: ZnodeShell, folder: string): Promise<number> {
  let nodes: string[];
  try {
    nodes = await shell.lsRecursive(folder);
  } catch (error) {
    if (isNoNode(error)) return 0;
    throw error;
  }
  let deleted = 0;
  for (const node of nodes.reverse()) {
    try {
      await shell.delete(node);
      deleted += 1;
    } catch (error) {
      if (!isNoNode(error) && !isNotEmpty(error)) throw error; // gone already, or refilled meanwhile
    }
  }
  return deleted;
}
