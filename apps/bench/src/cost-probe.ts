import { readFile, writeFile } from 'node:fs/promises';
import Redis from 'ioredis';
import { ClusterState } from '@app/contracts';
import { fourLetterWord, parseConnectString, parseMntr } from '@app/zookeeper';
import {
  CostSnapshot,
  cpuSecondsFromStat,
  parseCommandStats,
  parseRedisCpu,
  peakRssFromStatus,
  ProcessUsage,
  ZookeeperCounters,
  zookeeperCountersOf,
} from './cost-counters';

/** The processes whose CPU and memory the bench reads: every replica, and the gateway when its pid is known. */
export function processesOf(state: ClusterState): Record<string, number | null> {
  const processes: Record<string, number | null> = {};
  for (const replica of state.replicas) processes[`replica ${replica.id}`] = replica.pid;
  if (state.gatewayPid !== undefined) processes.gateway = state.gatewayPid;
  return processes;
}

/**
 * Reads the counters a strategy's cost is computed from. Everything runs on this machine (the
 * cluster binds 127.0.0.1), so /proc holds the processes; a part that cannot be read is null.
 */
export class CostProbe {
  private constructor(
    private readonly state: ClusterState,
    private readonly redis: Redis | null,
  ) {}

  static async open(state: ClusterState): Promise<CostProbe> {
    const [host, port] = state.redis.split(':');
    const redis = new Redis({ host, port: Number(port), lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5000 });
    redis.on('error', () => undefined); // a Redis that does not answer makes its counters null
    try {
      await redis.connect();
      return new CostProbe(state, redis);
    } catch {
      redis.disconnect();
      return new CostProbe(state, null);
    }
  }

  /** Resets every process's peak RSS (Linux `clear_refs` 5), so the next snapshot's peak is the run's own. */
  async resetPeaks(): Promise<void> {
    await Promise.all(
      Object.values(processesOf(this.state)).map((pid) =>
        pid === null ? undefined : writeFile(`/proc/${pid}/clear_refs`, '5').catch(() => undefined), // then the peak is since start
      ),
    );
  }

  async snapshot(): Promise<CostSnapshot> {
    const entries = Object.entries(processesOf(this.state));
    const listedServers = this.state.servers ?? [];
    const [zookeeper, redis, usages, serverUsages] = await Promise.all([
      this.zookeeper(),
      this.redisCounters(),
      Promise.all(entries.map(([, pid]) => (pid === null ? null : processUsage(pid)))),
      Promise.all(listedServers.map(({ pid }) => (pid === null ? null : processUsage(pid)))),
    ]);
    const { user, system } = process.cpuUsage();
    return {
      zookeeper,
      redis,
      processes: Object.fromEntries(entries.map(([name], i) => [name, usages[i]])),
      servers: listedServers.map(({ role, name }, i) => ({ role, name, cpuSeconds: serverUsages[i]?.cpuSeconds ?? null })),
      loadGeneratorCpuSeconds: (user + system) / 1e6,
      takenAtMs: performance.now(),
    };
  }

  close(): void {
    this.redis?.disconnect();
  }

  /** Summed over the servers of the connect string (one, for the local cluster's standalone server). */
  private async zookeeper(): Promise<ZookeeperCounters | null> {
    try {
      const counters = await Promise.all(
        parseConnectString(this.state.zookeeper).map(async ({ host, port }) =>
          zookeeperCountersOf(parseMntr(await fourLetterWord(host, port, 'mntr'))),
        ),
      );
      if (counters.some((c) => c === null)) return null;
      return (counters as ZookeeperCounters[]).reduce((sum, c) => ({
        writes: sum.writes + c.writes,
        reads: sum.reads + c.reads,
        watchNotifications: sum.watchNotifications + c.watchNotifications,
      }));
    } catch {
      return null; // mntr refused or not whitelisted: the ZooKeeper columns say n/a
    }
  }

  private async redisCounters(): Promise<CostSnapshot['redis']> {
    if (!this.redis) return null;
    try {
      const [commandstats, cpu] = await Promise.all([this.redis.info('commandstats'), this.redis.info('cpu')]);
      const cpuSeconds = parseRedisCpu(cpu);
      return cpuSeconds === null ? null : { calls: parseCommandStats(commandstats), cpuSeconds };
    } catch {
      return null;
    }
  }
}

async function processUsage(pid: number): Promise<ProcessUsage | null> {
  try {
    const [stat, status] = await Promise.all([readFile(`/proc/${pid}/stat`, 'utf8'), readFile(`/proc/${pid}/status`, 'utf8')]);
    const cpuSeconds = cpuSecondsFromStat(stat);
    const peakRssBytes = peakRssFromStatus(status);
    return cpuSeconds === null || peakRssBytes === null ? null : { cpuSeconds, peakRssBytes };
  } catch {
    return null; // not on this machine, or gone
  }
}
