import Redis from 'ioredis';
import { RowDataPacket } from 'mysql2/promise';
import { LocalCluster } from '@app/cluster';
import { StrategyName, ZookeeperPaths, zookeeperRoot } from '@app/contracts';
import { ZnodeShell, ZookeeperSession } from '@app/zookeeper';
import { FaultDriver, FaultSetup, FaultWindow } from './fault-driver';
import { counted, deleteAllUnderLoad, killConnections, mariadbAdmin, OperatorRounds, runOperatorRounds } from './operator-rounds';

/** An operator who deletes, sees the lock come back, and deletes it again. */
const ROUNDS = 3;
const ROUND_GAP_MS = 500;
/** The replicas' default REDIS_PREFIX: the fault's cluster is started without another. */
const REDIS_PREFIX = 'ordernum:';

/** The strategies whose lock is a node, a key or a server-side lock an operator can take away. */
export const DELETABLE_LOCKS: readonly StrategyName[] = ['zookeeper', 'zookeeper-ephemeral', 'redis', 'redlock', 'db-lock'];

/**
 * An operator deleting the lock under load, three times, whoever holds it: `deleteall` of the
 * ZooKeeper lock folder (zkCli's verbs, through ZnodeShell), `DEL` of the Redis lock keys, or, for
 * a `GET_LOCK`, which is no node or key, `KILL` of the connections that hold one. The holder's
 * lease is gone while it may still be inside its critical section: the lock must heal (no 500,
 * 201 again) and fencing must refuse the write of the holder it overtook.
 */
export class DeleteLockFault implements FaultDriver {
  readonly id = 'delete-lock' as const;
  readonly seedsMarksAhead = true;

  async setup(): Promise<FaultSetup> {
    return {};
  }

  async inject(cluster: LocalCluster, strategy: StrategyName): Promise<FaultWindow> {
    const { deleteOnce, close } = await this.deleter(cluster, strategy);
    return runOperatorRounds({ rounds: Array.from({ length: ROUNDS }, () => deleteOnce), gapMs: ROUND_GAP_MS, close });
  }

  async cleanup(): Promise<void> {
    // Nothing outside the cluster: the locks heal by themselves, which is what the cell measures.
  }

  /** What deletes one strategy's locks, once, saying what it deleted. */
  private async deleter(cluster: LocalCluster, strategy: StrategyName): Promise<{ deleteOnce: () => Promise<string> } & Pick<OperatorRounds, 'close'>> {
    if (strategy === 'zookeeper' || strategy === 'zookeeper-ephemeral') {
      const paths = new ZookeeperPaths(zookeeperRoot());
      const folder = strategy === 'zookeeper' ? paths.sequentialLocks : paths.ephemeralLocks;
      const session = await ZookeeperSession.open({ connect: cluster.state.zookeeper, sessionTimeoutMs: 10_000 });
      const shell = new ZnodeShell(() => session.api(), paths.root);
      const deleteOnce = async () => `deleteall ${folder}: ${counted(await deleteAllUnderLoad(shell, folder), 'node')}`;
      return { deleteOnce, close: () => session.close() };
    }
    if (strategy === 'redis' || strategy === 'redlock') {
      const pattern = `${REDIS_PREFIX}${strategy === 'redis' ? 'lock' : 'redlock'}:*`;
      const redis = new Redis({ host: '127.0.0.1', port: cluster.redis.port, maxRetriesPerRequest: 1 });
      const deleteOnce = async () => {
        const keys: string[] = [];
        for await (const batch of redis.scanStream({ match: pattern, count: 1000 })) keys.push(...(batch as string[]));
        return `DEL ${pattern}: ${counted(keys.length === 0 ? 0 : await redis.del(...keys), 'key')}`;
      };
      return { deleteOnce, close: async () => void redis.disconnect() };
    }
    if (strategy === 'db-lock') {
      const admin = await mariadbAdmin(cluster);
      const deleteOnce = async () => {
        // lock_tokens names every lock ever taken; IS_USED_LOCK says which connection holds one now.
        const [rows] = await admin.query<RowDataPacket[]>('SELECT IS_USED_LOCK(resource) AS holder FROM lock_tokens');
        const holders = rows.map((row) => row.holder as number | null).filter((holder): holder is number => holder !== null);
        return `KILL of the connections holding a GET_LOCK: ${await killConnections(admin, holders)}`;
      };
      return { deleteOnce, close: () => admin.end() };
    }
    throw new Error(`delete-lock: ${strategy} has no lock an operator can delete`);
  }
}
