import { rowLabel } from './row-label';
import { formatOptional } from './format';
import { StrategyResult } from './results';

export const COST_COLUMNS = [
  'strategy',
  'zk writes/order',
  'zk reads/order',
  'zk watch events/order',
  'redis scripts/order',
  'redis cmds/order',
  'cpu s/1k orders',
  'redis cpu s/1k',
  'zk cpu s/1k',
  'db cpu s/1k',
  'load gen cpu s/1k',
  'cores busy',
  'peak RSS MiB (per process)',
] as const;

/** One row per strategy: what an order cost the backends and the processes (DESIGN §5). */
export function costRows(strategies: readonly StrategyResult[]): string[][] {
  return strategies.map((s) => {
    const cost = s.cost;
    const rss = cost?.processes.map((p) => `${shortName(p.name)} ${p.peakRssBytes === null ? 'n/a' : (p.peakRssBytes / 2 ** 20).toFixed(0)}`);
    return [
      rowLabel(s.strategy, s.idempotencyKeys, s.lockBatchMax),
      formatOptional(cost?.zookeeperWrites ?? null),
      formatOptional(cost?.zookeeperReads ?? null),
      formatOptional(cost?.watchNotifications ?? null),
      formatOptional(cost?.redisScripts ?? null),
      formatOptional(cost?.redisCommands ?? null),
      formatOptional(cost?.cpuSecondsPer1000 ?? null),
      formatOptional(cost?.redisCpuSecondsPer1000 ?? null),
      formatOptional(cost?.serverCpuSecondsPer1000.zookeeper ?? null),
      formatOptional(cost?.serverCpuSecondsPer1000.mariadb ?? null),
      formatOptional(cost?.loadGeneratorCpuSecondsPer1000 ?? null),
      formatOptional(cost?.coresBusy ?? null),
      rss && rss.length > 0 ? rss.join(' ') : 'n/a',
    ];
  });
}

/** `replica order-1` → `order-1`, `gateway` → `gw`: the RSS cell lists every process and must stay narrow. */
function shortName(name: string): string {
  return name === 'gateway' ? 'gw' : name.replace(/^replica /, '');
}

export const COST_NOTE =
  'Per order, from counters read right before and after each measured run: ZooKeeper mntr (writes = zk_cnt_updatelatency, ' +
  'reads = zk_cnt_readlatency, watch events = the four zk_sum_node_*_watch_count), Redis INFO commandstats (a script call counts ' +
  'once as EVALSHA; "cmds" are all other commands, both those sent directly and those the scripts ran: Redis 7.0 counts a command a ' +
  'script runs under its own name, so its counters cannot split them), CPU seconds (utime + stime of /proc/<pid>/stat) of the ' +
  'replicas and the gateway per 1,000 orders ("cpu s/1k orders"), the same of the cluster\'s ZooKeeper servers and MariaDB and of ' +
  'the bench\'s own process, the load generator (from process.cpuUsage), "cores busy" = the CPU seconds of all of these and ' +
  'Redis over the run\'s wall-clock seconds (near the machine\'s cores, the row was bound by CPU: SCALING.md), and each ' +
  'process\'s peak RSS during the run (VmHWM, reset before it). Background work (session probes, the pool master\'s checks, ' +
  'config watches) runs during the measured run too and is included; n/a where a process could not be read.';
