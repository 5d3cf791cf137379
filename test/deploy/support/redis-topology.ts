/** Reading what a Redis container started as, from its recorded redis-server arguments and config. */
import type { ServerAddress } from '@app/zookeeper';
import type { StubbedRun } from './redis-start';

/** A data node: what clients and its primary must present, its persistence, its role. */
export interface DataNodeStart {
  port: number;
  requirepass?: string;
  masterauth?: string;
  appendonly?: string;
  appendfsync?: string;
  /** `replica-announce-ip`: the name the node gives its primary, and through it the Sentinels. */
  announce?: string;
  replicaOf?: ServerAddress;
}

export interface MonitoredPrimary extends ServerAddress {
  name: string;
  quorum: number;
  authPass?: string;
  downAfterMs?: number;
  failoverTimeoutMs?: number;
}

export interface SentinelStart {
  port: number;
  requirepass?: string;
  /** `resolve-hostnames yes` before the first `monitor` line: Sentinel resolves a monitor line as it reads it. */
  resolvesHostnames: boolean;
  announcesHostnames: boolean;
  announce?: string;
  primaries: MonitoredPrimary[];
}

/** `--name v1 v2 --other v` → { name: [v1, v2], other: [v] }; what comes before the first `--` is left out. */
export function serverOptions(args: readonly string[]): Record<string, string[]> {
  const options: Record<string, string[]> = {};
  let current: string[] | undefined;
  for (const arg of args) {
    if (arg.startsWith('--')) options[arg.slice(2)] = current = [];
    else current?.push(arg);
  }
  return options;
}

function startedServer(run: StubbedRun): string[] {
  if (run.serverArgs === undefined) throw new Error(`redis-server was never started (status ${run.status}): ${run.stderr}`);
  return run.serverArgs;
}

export function isSentinel(run: StubbedRun): boolean {
  return 'sentinel' in serverOptions(startedServer(run));
}

export function dataNodeStart(run: StubbedRun): DataNodeStart {
  const options = serverOptions(startedServer(run));
  const one = (name: string) => options[name]?.join(' ');
  const replicaOf = options.replicaof && { host: options.replicaof[0], port: Number(options.replicaof[1]) };
  return {
    port: Number(one('port') ?? 6379),
    requirepass: one('requirepass'),
    masterauth: one('masterauth'),
    appendonly: one('appendonly'),
    appendfsync: one('appendfsync'),
    announce: one('replica-announce-ip'),
    ...(replicaOf && { replicaOf }),
  };
}

/** A Sentinel's generated config (one directive a line, no quoting), as Sentinel would read it. */
export function sentinelStart(run: StubbedRun): SentinelStart {
  if (!isSentinel(run)) throw new Error(`not started as a Sentinel: ${startedServer(run).join(' ')}`);
  const lines = run.configLines.map((line) => line.trim().split(/\s+/));
  const value = (...key: string[]) =>
    lines.find((tokens) => key.every((part, index) => tokens[index] === part))?.slice(key.length);
  const isMonitor = ([first, second]: string[]) => first === 'sentinel' && second === 'monitor';
  const firstMonitor = lines.findIndex(isMonitor);
  const resolveAt = lines.findIndex((tokens) => tokens.join(' ') === 'sentinel resolve-hostnames yes');
  const number = (text: string | undefined) => (text === undefined ? undefined : Number(text));
  const primaries = lines.filter(isMonitor).map(([, , name, host, port, quorum]) => ({
    name,
    host,
    port: Number(port),
    quorum: Number(quorum),
    authPass: value('sentinel', 'auth-pass', name)?.join(' '),
    downAfterMs: number(value('sentinel', 'down-after-milliseconds', name)?.[0]),
    failoverTimeoutMs: number(value('sentinel', 'failover-timeout', name)?.[0]),
  }));
  return {
    port: Number(value('port')?.[0] ?? 26379),
    requirepass: value('requirepass')?.join(' '),
    resolvesHostnames: resolveAt >= 0 && resolveAt < firstMonitor,
    announcesHostnames: value('sentinel', 'announce-hostnames')?.[0] === 'yes',
    announce: value('sentinel', 'announce-ip')?.join(' '),
    primaries,
  };
}
