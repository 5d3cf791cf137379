import { LocalCluster } from '@app/cluster';
import { StrategyName } from '@app/contracts';
import { FaultPorts, FAULT_HOLD_MS, FaultDriver, FaultNotInjectedError, FaultSetup, FaultWindow, sleep, TARGET_REPLICA } from './fault-driver';
import { HoldProxy, HoldWindow, isLedgerWrite } from './hold-proxy';

const LEAD_MS = 1000;
/** How long the load has to make the target write a mark once armed. */
const TRIGGER_WITHIN_MS = 15_000;

const ZOOKEEPER_BACKED: readonly StrategyName[] = ['zookeeper', 'zookeeper-ephemeral', 'snowflake'];

/**
 * Kleppmann's delayed write: the target reaches Redis (and ZooKeeper) through proxies, and its
 * next ledger write is held, with everything it sends after it, for longer than its lease: the
 * Redis lock's key expires (its renewals are held too), a ZooKeeper session expires (its pings
 * are held), another replica takes the lock and issues, and then the old write lands.
 */
export class DelayedWriteFault implements FaultDriver {
  readonly id = 'delayed-write' as const;
  readonly seedsMarksAhead = true;
  private redisProxy: HoldProxy | undefined;
  private zookeeperProxy: HoldProxy | undefined;

  async setup(ports: FaultPorts): Promise<FaultSetup> {
    this.redisProxy = await HoldProxy.start({ host: '127.0.0.1', port: ports.redis });
    this.zookeeperProxy = await HoldProxy.start({ host: '127.0.0.1', port: ports.zookeeper });
    return {
      targetEnv: { REDIS_URL: `redis://127.0.0.1:${this.redisProxy.port}`, ZK_CONNECT: `127.0.0.1:${this.zookeeperProxy.port}` },
    };
  }

  async inject(_cluster: LocalCluster, strategy: StrategyName): Promise<FaultWindow> {
    const redis = this.redisProxy!;
    // A Redis lock is overtaken by its TTL alone; a ZooKeeper one only once the holder's session expires.
    const zookeeper = ZOOKEEPER_BACKED.includes(strategy) ? this.zookeeperProxy : undefined;
    await sleep(LEAD_MS);
    const hold = new Promise<Promise<HoldWindow>>((resolve) =>
      redis.holdOnNext(isLedgerWrite, FAULT_HOLD_MS, (window) => {
        void zookeeper?.hold(FAULT_HOLD_MS);
        resolve(window);
      }),
    );
    // Its timer goes once the hold comes: a run that ends right after must not wait 15 s for it.
    const triggered = new AbortController();
    const timeout = sleep(TRIGGER_WITHIN_MS, triggered.signal).then(() => undefined);
    const held = await Promise.race([hold, timeout]);
    triggered.abort();
    if (held === undefined) {
      redis.disarm();
      throw new FaultNotInjectedError(`${TARGET_REPLICA} wrote no ledger mark within ${TRIGGER_WITHIN_MS} ms`);
    }
    const { heldAt, releasedAt } = await held;
    const links = zookeeper ? 'Redis and ZooKeeper traffic' : 'Redis traffic';
    return { startedAt: heldAt, endedAt: releasedAt, note: `${TARGET_REPLICA}'s ${links} held ${FAULT_HOLD_MS} ms from a ledger write on` };
  }

  async cleanup(): Promise<void> {
    await Promise.all([this.redisProxy?.close(), this.zookeeperProxy?.close()]);
  }
}
