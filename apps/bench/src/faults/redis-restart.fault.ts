import { LocalCluster } from '@app/cluster';
import { FaultDriver, FaultSetup, FaultWindow, sleep } from './fault-driver';
import { restartServer, SERVER_DOWN_MS } from './server-restart';

const LEAD_MS = 1000;

/**
 * Redis killed and started again, with the persistence the local cluster runs (none; README, "Redis persistence"):
 * every ledger mark, fence, pool and lock is gone when it comes back. The marks are not seeded
 * ahead here: what a lost mark does to numbers issued just before the crash is the window.
 */
export class RedisRestartFault implements FaultDriver {
  readonly id = 'redis-restart' as const;
  readonly seedsMarksAhead = false;

  async setup(): Promise<FaultSetup> {
    return {};
  }

  async inject(cluster: LocalCluster): Promise<FaultWindow> {
    await sleep(LEAD_MS);
    const { killedAt, servingAt } = await restartServer(cluster.redis);
    return { startedAt: killedAt, endedAt: servingAt, note: `Redis SIGKILLed, down ${SERVER_DOWN_MS} ms, restarted empty (no persistence)` };
  }

  async cleanup(): Promise<void> {
    // The restarted server belongs to the cluster, which stops it.
  }
}
