import { LaunchClusterOptions, LocalCluster } from '@app/cluster';
import { StrategyName } from '@app/contracts';

/** The fault ids of `npm run faults --faults`, in the report's column order. */
export const FAULT_IDS = [
  'pause',
  'sigstop',
  'delayed-write',
  'kill-replica',
  'redis-restart',
  'redis-restart-aof',
  'redis-failover',
  'redis-failover-wait',
  'zk-restart',
  'zk-leader',
  'db-restart',
  'clock-ahead',
  'clock-behind',
  'switch',
  'delete-lock',
  'edit-state',
] as const;
export type FaultId = (typeof FAULT_IDS)[number];

/** Where a fault's cluster will listen, chosen before anything starts (a proxy must know its target). */
export interface FaultPorts {
  zookeeper: number;
  redis: number;
}

/** What a driver asks of the cluster it will run on. */
export interface FaultSetup {
  /** For every app of the cell's cluster. */
  env?: Record<string, string>;
  /** For the target replica only (a proxy in its path, a pause in its critical section). */
  targetEnv?: Record<string, string>;
}

/** When the fault hit the target replica and when it was over (Date.now()); recovery counts from `endedAt`. */
export interface FaultWindow {
  startedAt: number;
  endedAt: number;
  /** What happened, for the report's hover text. */
  note: string;
}

/** The replica every fault hits; its recovery is the one measured. */
export const TARGET_REPLICA = 'order-1';

/**
 * How long a fault keeps the target away: past every lease of the cell's cluster (LOCK_TTL_MS
 * and ZK_SESSION_TIMEOUT_MS in FAULT_CLUSTER_ENV), so another holder takes over meanwhile.
 */
export const FAULT_HOLD_MS = 5000;

/**
 * Short leases, so a fault of a few seconds outlives them. The ZooKeeper session is not shorter
 * than 3 s: a replica suspends its session after half of it without an answer, and on a busy
 * 2-core machine a replica starting up with a 2 s session failed to start now and then.
 */
export const FAULT_CLUSTER_ENV: Readonly<Record<string, string>> = {
  LOCK_TTL_MS: '1000',
  ZK_SESSION_TIMEOUT_MS: '3000',
};

/**
 * One fault, real (a signal, a proxy, a process killed), never simulated inside the handler
 * except `pause`, which is the in-process stop-the-world of DESIGN §3. One instance per cluster:
 * `setup` before the fault's cluster starts, `inject` while each cell's load runs, `cleanup` after the last.
 */
export interface FaultDriver {
  readonly id: FaultId;
  /**
   * Whether the cell seeds every mark ahead of the clock (see fault-cell.ts). Not for the faults
   * whose window is the clock itself or a lost mark: a seeded mark would hide exactly that.
   */
  readonly seedsMarksAhead: boolean;
  /** What the fault's cluster runs differently from the default one (an ensemble, a persistent Redis). */
  readonly cluster?: Pick<LaunchClusterOptions, 'ensemble' | 'redisAppendOnly' | 'redisSentinel' | 'redisReplicationLagMs'>;
  /** The strategies whose numbers a cell of `strategy` issues (a switch issues under two); just `strategy` unless set. */
  issuedUnder?(strategy: StrategyName): StrategyName[];
  /** Once per cluster, before it starts. */
  setup(ports: FaultPorts): Promise<FaultSetup>;
  /** Runs the fault against the target replica while `strategy` issues; resolves once it is over. */
  inject(cluster: LocalCluster, strategy: StrategyName): Promise<FaultWindow>;
  cleanup(): Promise<void>;
}

/** The locks' own wait: given a signal, it takes its timer with it when the signal aborts. */
export { sleep } from '@app/locks';

/** A fault that could not be made to happen as planned (the cell is reported as not measured). */
export class FaultNotInjectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultNotInjectedError';
  }
}
