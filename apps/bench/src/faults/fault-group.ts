import path from 'node:path';
import { launchCluster, LocalCluster } from '@app/cluster';
import { StrategyName } from '@app/contracts';
import { freePorts } from '@app/provisioning';
import { switchStrategy } from '../strategy-switch';
import { FAULT_CLUSTER_ENV, FaultId, TARGET_REPLICA } from './fault-driver';
import { createFaultDriver } from './fault-catalog';
import { runFaultCell } from './fault-cell';
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
}

export interface FaultGroupOutcome {
  results: FaultResult[];
  /** Cells that could not be measured, one sentence each. */
  failures: string[];
}

const REPLICAS = 3;

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
  const [gatewayPort, zkPort, redisPort] = await freePorts(3);
  const historyDir = path.join(spec.workDir, 'data', 'history');
  const outcome: FaultGroupOutcome = { results: [], failures: [] };
  let cluster: LocalCluster | undefined;
  try {
    const setup = await driver.setup({ zookeeper: zkPort, redis: redisPort });
    const first = spec.cells[0];
    const launch = () => launchCluster({
      replicas: REPLICAS,
      gatewayPort,
      zkPort,
      redisPort,
      replicaBasePort: replicaBasePort(),
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
    cluster = await launch().catch((error: Error) => {
      // A replica that could not start on a machine this busy is not what the fault measures: once more.
      spec.log(`${spec.fault}: the cluster did not start (${error.message.split('\n')[0]}); starting it again`);
      return launch();
    });
    for (const cell of spec.cells) {
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
    await driver.cleanup();
  }
  return outcome;
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
