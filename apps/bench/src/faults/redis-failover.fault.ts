import { LocalCluster } from '@app/cluster';
import { FaultDriver, FaultSetup, FaultWindow, sleep } from './fault-driver';

/** Lets the load reach full speed before the fault. */
const LEAD_MS = 1000;
/** The Sentinels hold a silent primary down after 1 s and elect a leader among them; past this something is wrong. */
const FAILOVER_WITHIN_MS = 30_000;

/**
 * How far the replica trails the primary (a real proxy in the replication stream): on one machine
 * replication is microseconds behind and a SIGKILL loses next to nothing; across a busy network,
 * or in a burst, a replica is milliseconds to seconds behind. This makes the window visible.
 */
export const REPLICATION_LAG_MS = 100;

export type RedisFailoverId = 'redis-failover' | 'redis-failover-wait';

/**
 * The Redis primary SIGKILLed under load, its replica REPLICATION_LAG_MS behind: the Sentinels promote it, the order replicas
 * follow them there, and the killed node comes back as the new primary's replica for the next
 * cell. Replication is asynchronous, so the writes the primary acknowledged last may be missing
 * on the promoted replica; the marks are seeded ahead (fault-cell.ts), so a mark rolled back
 * reissues exactly those numbers. `redis-failover-wait` is the same with the project's
 * mitigation on: REDIS_WAIT_REPLICAS=1, no number answered before the replica has its writes.
 */
export class RedisFailoverFault implements FaultDriver {
  readonly seedsMarksAhead = true;
  readonly cluster = { redisSentinel: true, redisReplicationLagMs: REPLICATION_LAG_MS };

  constructor(readonly id: RedisFailoverId) {}

  async setup(): Promise<FaultSetup> {
    return this.id === 'redis-failover-wait' ? { env: { REDIS_WAIT_REPLICAS: '1' } } : {};
  }

  async inject(cluster: LocalCluster): Promise<FaultWindow> {
    const sentinels = cluster.redisSentinels;
    if (!sentinels) throw new Error(`${this.id} needs the cluster's Redis behind Sentinels (its setup asks for them)`);
    await sleep(LEAD_MS);
    const primary = await sentinels.primary();
    const startedAt = Date.now();
    await cluster.killServer(`the Redis primary 127.0.0.1:${primary.port}`, primary);
    const promoted = await sentinels.waitForFailover(primary, FAILOVER_WITHIN_MS);
    const endedAt = Date.now();
    await cluster.startServer(`Redis 127.0.0.1:${primary.port}`, primary, () => sentinels.rejoin(primary));
    const note = `primary 127.0.0.1:${primary.port} SIGKILLed; the Sentinels promoted 127.0.0.1:${promoted.port} ${endedAt - startedAt} ms later; the old primary rejoined as its replica`;
    return { startedAt, endedAt, note };
  }

  async cleanup(): Promise<void> {
    // Both data nodes and the Sentinels belong to the cluster, which stops them.
  }
}
