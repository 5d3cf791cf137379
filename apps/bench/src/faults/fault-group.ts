import path from 'node:path';
import { launchCluster, LocalCluster } from '@app/cluster';
import { StrategyName } from '@app/contracts';
import { freePortBlock, freePorts } from '@app/provisioning';
import { switchStrategy } from '../strategy-switch';
import { FAULT_CLUSTER_ENV, FaultId, TARGET_REPLICA } from './fault-driver';
import { createFaultDriver } from './fault-catalog';
import { issuesFromLedger, runFaultCell } from './fault-cell';
import { FaultResult } from './fault-result';

export interface FaultCell {
  strategy: StrategyName;
  fencing: boolean;
}

export interface FaultGroupSpec {
  fault: FaultId;
  cells: readonly FaultCell[];
  connections: number;
  businessIds: readonly number[];
  /** Wiped and used for the group's cluster (servers' data, logs, histories). */
  workDir: string;
  log: (line: string) => void;
  /** Told of the group's cluster while it starts, and of its end (undefined): what Ctrl-C must stop. */
  onCluster?: (cluster: Promise<LocalCluster> | undefined) => void;
}

export interface FaultGroupOutcome {
  results: FaultResult[];
  /** Cells that could not be measured, one sentence each. */
  failures: string[];
}

const REPLICAS = 3;
/** Above every replica port replicaBasePort() can give (HTTP 24101–27295, TCP 25101–28295), below the ephemeral range. */
const ENSEMBLE_PORTS = { from: 28_400, to: 32_000 };

/** Ports of its own, so that a cluster someone runs on the defaults is left alone. */
export function replicaBasePort(): number {
  return 24101 + (process.pid % 400) * 8;
}

/**
 * Every cell of one fault on one cluster: starting a cluster costs tens of seconds on a busy
 * 2-core machine, switching strategy and fencing through the config center a fraction of one.
 * The fault's proxies and environment are in place from the start; every replica records its
 * history (HISTORY_DIR), which each cell reads back for its own time window.
 */
export async function runFaultGroup(spec: FaultGroupSpec): Promise<FaultGroupOutcome> {
  const driver = createFaultDriver(spec.fault);
  const [gatewayPort, standalonePort, redisPort] = await freePorts(3);
  const historyDir = path.join(spec.workDir, 'data', 'history');
  const outcome: FaultGroupOutcome = { results: [], failures: [] };
  let cluster: LocalCluster | undefined;
  try {
    // Known before setup: a driver's proxy must know its target. An ensemble's servers use zkPort+i,
    // +100+i and +200+i, drawn above the replicas' ports (replicaBasePort() and its +1000 for TCP).
    const zkPort = driver.cluster?.ensemble ? await freePortBlock(203, ENSEMBLE_PORTS) : standalonePort;
    const setup = await driver.setup({ zookeeper: zkPort, redis: redisPort });
    const first = spec.cells[0];
    const launch = () => launchCluster({
      replicas: REPLICAS,
      gatewayPort,
      zkPort,
      redisPort,
      replicaBasePort: replicaBasePort(),
      ...driver.cluster,
      stateFile: path.join(spec.workDir, 'state.json'),
      dataDir: path.join(spec.workDir, 'data'),
      env: {
        ...FAULT_CLUSTER_ENV,
        ORDER_STRATEGY: first.strategy,
        LOCK_FENCING: first.fencing ? 'on' : 'off',
        HISTORY_DIR: historyDir,
        LOG_LEVEL: 'warn',
        ...setup.env,
      },
      replicaEnv: (id) => (id === TARGET_REPLICA ? (setup.targetEnv ?? {}) : {}),
    });
    const launching = launch().catch((error: Error) => {
      // A replica that could not start on a machine this busy is not what the fault measures: once more.
      spec.log(`${spec.fault}: the cluster did not start (${error.message.split('\n')[0]}); starting it again`);
      return launch();
    });
    spec.onCluster?.(launching);
    cluster = await launching;
    for (const cell of inSeedingOrder(spec.cells)) {
      const name = `${cell.strategy} × ${spec.fault} (fencing ${cell.fencing ? 'on' : 'off'})`;
      try {
        await switchStrategy(cluster.state, cell.strategy, { lockFencing: cell.fencing, deadlineMs: 30_000 });
        const { connections, businessIds } = spec;
        const result = await runFaultCell({ ...cell, fault: spec.fault, cluster, driver, historyDir, connections, businessIds });
        outcome.results.push(result);
        spec.log(describeCell(result));
      } catch (error) {
        // One cell that cannot be measured must not hide the others; the report names it.
        outcome.failures.push(`${name}: not measured: ${(error as Error).message}`);
        spec.log(`!!! ${name}: not measured: ${(error as Error).message}`);
      }
    }
  } catch (error) {
    outcome.failures.push(`${spec.fault}: no cluster: ${(error as Error).message}`);
    spec.log(`!!! ${spec.fault}: no cluster: ${(error as Error).message}`);
  } finally {
    await cluster?.stop();
    spec.onCluster?.(undefined);
    await driver.cleanup();
  }
  return outcome;
}

/**
 * The families that start above the ledger mark (DESIGN §2's hand-over) first: a cell that seeds
 * the marks ten minutes ahead (fault-cell.ts) would otherwise make every later snowflake or
 * db-segment cell of the same cluster wait those ten minutes for its clock.
 */
function inSeedingOrder(cells: readonly FaultCell[]): FaultCell[] {
  const rank = (cell: FaultCell) => (issuesFromLedger(cell.strategy) ? 1 : 0);
  return [...cells].sort((a, b) => rank(a) - rank(b));
}

export function describeCell(result: FaultResult): string {
  const errors = Object.entries(result.errorsByStatus)
    .map(([status, count]) => `${count}×${status}`)
    .join(' ');
  return (
    `${result.strategy} × ${result.fault} (fencing ${result.fencing ? 'on' : 'off'}): ${result.orders} orders, ` +
    `${result.duplicates} duplicates (checker: ${result.checker.issuedDuplicates} issued, ${result.checker.deliveredDuplicates} delivered, ` +
    `${result.checker.overlaps} overlaps), errors ${errors || 'none'}, hung ${result.hung}, ` +
    `recovered ${result.recoverMs === null ? 'never' : `${result.recoverMs} ms`} after the fault`
  );
}
