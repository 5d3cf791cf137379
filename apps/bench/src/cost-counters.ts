import type { ServerRole } from '@app/contracts';

/**
 * What one strategy's measured run cost the backends and the processes, from counters read right
 * before and right after it (DESIGN §5). Pure arithmetic here; `cost-probe.ts` reads the counters.
 */

/** The cumulative ZooKeeper counters of `mntr` the bench uses (summed over the servers asked). */
export interface ZookeeperCounters {
  /** `zk_cnt_updatelatency`: write requests the server finished (create, delete, setData, ...). */
  writes: number;
  /** `zk_cnt_readlatency`: read requests (getData, getChildren, exists, ...). */
  reads: number;
  /** Sum of `zk_sum_node_{created,deleted,changed,children}_watch_count`: watch events delivered. */
  watchNotifications: number;
}

/** `INFO commandstats` calls per command, plus the server's own CPU seconds (`INFO cpu`). */
export interface RedisCounters {
  calls: Record<string, number>;
  cpuSeconds: number;
}

/** One process's CPU seconds so far (user + system) and its peak RSS since the last reset. */
export interface ProcessUsage {
  cpuSeconds: number;
  peakRssBytes: number;
}

/** A backend server's CPU seconds so far; null where it could not be read (down, or not on this machine). */
export interface ServerUsage {
  name: string;
  role: ServerRole;
  cpuSeconds: number | null;
}

export interface CostSnapshot {
  zookeeper: ZookeeperCounters | null;
  redis: RedisCounters | null;
  /** Keyed by process name (`replica r1`, `gateway`); null where the process could not be read. */
  processes: Record<string, ProcessUsage | null>;
  /** The cluster's backend servers; empty when the cluster state does not list them (older state files). */
  servers: ServerUsage[];
  /** This process's CPU seconds so far: the load generator, which runs in it. */
  loadGeneratorCpuSeconds: number;
  /** When the snapshot was taken (`performance.now()`), for the cores kept busy in between. */
  takenAtMs: number;
}

/** Commands that run a script: each call counts once, whatever the script runs inside. */
export const SCRIPT_COMMANDS: readonly string[] = ['evalsha', 'eval', 'evalsha_ro', 'eval_ro', 'fcall', 'fcall_ro'];

/** Commands the bench's own probes send (INFO, CONFIG...), left out of what the strategy cost. */
const PROBE_COMMANDS: readonly string[] = ['info', 'config|resetstat', 'ping', 'client|setname', 'client|setinfo'];

export interface ProcessCost {
  name: string;
  cpuSecondsPer1000: number | null;
  peakRssBytes: number | null;
}

export interface CostPerOrder {
  zookeeperWrites: number | null;
  zookeeperReads: number | null;
  watchNotifications: number | null;
  /** Script calls (EVALSHA and friends), each counted once. */
  redisScripts: number | null;
  /**
   * Every other Redis command: those sent directly and those the scripts ran. Redis 7.0 counts a
   * command a script runs under the command's own name, so its counters cannot tell the two apart.
   */
  redisCommands: number | null;
  /** Redis's own CPU seconds per 1,000 orders. */
  redisCpuSecondsPer1000: number | null;
  /** Summed over the replicas and the gateway; null when one could not be read. */
  cpuSecondsPer1000: number | null;
  processes: ProcessCost[];
  /**
   * The backend servers' CPU seconds per 1,000 orders, summed by role (every ZooKeeper server of
   * an ensemble, the Sentinels with Redis); a role is absent when the cluster state lists none of
   * its servers, null when one of them could not be read.
   */
  serverCpuSecondsPer1000: Partial<Record<ServerRole, number | null>>;
  loadGeneratorCpuSecondsPer1000: number | null;
  /**
   * The CPU seconds of every process the run involved (replicas, gateway, backend servers, load
   * generator) over its wall-clock seconds: close to the machine's cores, the row was bound by
   * CPU (SCALING.md, bound 3). Null when a process or server could not be read, or none is listed.
   */
  coresBusy: number | null;
}

export function parseCommandStats(info: string): Record<string, number> {
  const calls: Record<string, number> = {};
  for (const line of info.split(/\r?\n/)) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (match) calls[match[1]] = Number(match[2]);
  }
  return calls;
}

/** `used_cpu_sys` + `used_cpu_user` of `INFO cpu`; null when either is missing. */
export function parseRedisCpu(info: string): number | null {
  const read = (field: string): number | undefined => {
    const match = new RegExp(`^${field}:([\\d.]+)`, 'm').exec(info);
    return match ? Number(match[1]) : undefined;
  };
  const sys = read('used_cpu_sys');
  const user = read('used_cpu_user');
  return sys === undefined || user === undefined ? null : sys + user;
}

/** Null when `mntr` lacks a counter: a partial figure would understate the cost. */
export function zookeeperCountersOf(mntr: Record<string, string | number>): ZookeeperCounters | null {
  const num = (key: string): number | null => (typeof mntr[key] === 'number' ? (mntr[key] as number) : null);
  const watchKeys = ['created', 'deleted', 'changed', 'children'].map((kind) => `zk_sum_node_${kind}_watch_count`);
  const values = [num('zk_cnt_updatelatency'), num('zk_cnt_readlatency'), ...watchKeys.map(num)];
  if (values.some((value) => value === null)) return null;
  const [writes, reads, ...watches] = values as number[];
  return { writes, reads, watchNotifications: watches.reduce((sum, value) => sum + value, 0) };
}

/** utime + stime (fields 14 and 15 of /proc/<pid>/stat, in clock ticks) as seconds. */
export function cpuSecondsFromStat(stat: string, ticksPerSecond = 100): number | null {
  // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / ticksPerSecond : null;
}

/** VmHWM of /proc/<pid>/status (peak resident set, kB) in bytes. */
export function peakRssFromStatus(status: string): number | null {
  const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : null;
}

export function costPerOrder(before: CostSnapshot, after: CostSnapshot, orders: number): CostPerOrder {
  const per = (delta: number | null): number | null => (delta === null || orders <= 0 ? null : delta / orders);
  const perThousand = (seconds: number | null): number | null => (seconds === null || orders <= 0 ? null : (seconds / orders) * 1000);
  const zk = (pick: (c: ZookeeperCounters) => number): number | null =>
    before.zookeeper && after.zookeeper ? per(pick(after.zookeeper) - pick(before.zookeeper)) : null;
  let redisScripts: number | null = null;
  let redisCommands: number | null = null;
  let redisCpuSeconds: number | null = null;
  if (before.redis && after.redis) {
    let scripts = 0;
    let others = 0;
    for (const [command, calls] of Object.entries(after.redis.calls)) {
      if (PROBE_COMMANDS.includes(command)) continue;
      // A command absent before had 0 calls (commandstats lists only commands called at least once).
      const delta = calls - (before.redis.calls[command] ?? 0);
      if (SCRIPT_COMMANDS.includes(command)) scripts += delta;
      else others += delta;
    }
    redisScripts = per(scripts);
    redisCommands = per(others);
    redisCpuSeconds = after.redis.cpuSeconds - before.redis.cpuSeconds;
  }
  // Each process's CPU seconds between the snapshots, once: per order below, and in the cores busy.
  const measured = Object.entries(after.processes).map(([name, a]) => {
    const b = before.processes[name];
    return { name, seconds: a && b ? a.cpuSeconds - b.cpuSeconds : null, peakRssBytes: a ? a.peakRssBytes : null };
  });
  const processSeconds = measured.map((process) => process.seconds);
  const processes = measured.map(
    ({ name, seconds, peakRssBytes }): ProcessCost => ({ name, cpuSecondsPer1000: perThousand(seconds), peakRssBytes }),
  );
  const cpuKnown = processes.length > 0 && processes.every((p) => p.cpuSecondsPer1000 !== null);
  const cpuSecondsPer1000 = cpuKnown ? processes.reduce((sum, p) => sum + (p.cpuSecondsPer1000 as number), 0) : null;
  const serverSeconds = serverCpuSeconds(before.servers, after.servers);
  const loadGeneratorSeconds = after.loadGeneratorCpuSeconds - before.loadGeneratorCpuSeconds;
  return {
    zookeeperWrites: zk((c) => c.writes),
    zookeeperReads: zk((c) => c.reads),
    watchNotifications: zk((c) => c.watchNotifications),
    redisScripts,
    redisCommands,
    redisCpuSecondsPer1000: perThousand(redisCpuSeconds),
    cpuSecondsPer1000,
    processes,
    serverCpuSecondsPer1000: Object.fromEntries(Object.entries(serverSeconds).map(([role, seconds]) => [role, perThousand(seconds)])),
    loadGeneratorCpuSecondsPer1000: perThousand(loadGeneratorSeconds),
    // Without the servers (an older state file) the figure would leave out part of the machine's work.
    coresBusy:
      Object.keys(serverSeconds).length === 0
        ? null
        : coresBusy(after.takenAtMs - before.takenAtMs, [...processSeconds, ...Object.values(serverSeconds)], loadGeneratorSeconds),
  };
}

/** The CPU seconds of every process over the wall-clock seconds between the snapshots; null when one is unknown. */
function coresBusy(wallMs: number, seconds: readonly (number | null | undefined)[], loadGeneratorSeconds: number): number | null {
  if (wallMs <= 0 || seconds.some((value) => value === null || value === undefined)) return null;
  return ((seconds as number[]).reduce((sum, value) => sum + value, 0) + loadGeneratorSeconds) / (wallMs / 1000);
}

/** The CPU seconds each role's servers used between two snapshots; null for a role when one of its servers could not be read. */
function serverCpuSeconds(before: readonly ServerUsage[], after: readonly ServerUsage[]): Partial<Record<ServerRole, number | null>> {
  const byRole: Partial<Record<ServerRole, number | null>> = {};
  for (const server of after) {
    const earlier = before.find((b) => b.name === server.name && b.role === server.role);
    const used = server.cpuSeconds !== null && earlier && earlier.cpuSeconds !== null ? server.cpuSeconds - earlier.cpuSeconds : null;
    const sum = byRole[server.role];
    byRole[server.role] = used === null || sum === null ? null : (sum ?? 0) + used;
  }
  return byRole;
}
