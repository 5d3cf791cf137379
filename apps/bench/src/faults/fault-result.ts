import { StrategyName, UNIQUE_STRATEGIES } from '@app/contracts';
import { HistoryCheck } from '@app/history';
import { FaultId, TARGET_REPLICA } from './fault-driver';

/** One cell of the matrix: a strategy under a fault, with fencing on or off. The fields of issue 8 first. */
export interface FaultResult {
  strategy: StrategyName;
  fault: FaultId;
  fencing: boolean;
  orders: number;
  /** Counted by the load client over the numbers it received. */
  duplicates: number;
  errorsByStatus: Record<string, number>;
  /** Requests that got no answer at all within the client's deadline. */
  hung: number;
  p50: number;
  p99: number;
  /** From the fault's end to the target replica's first order; null when it served none after. */
  recoverMs: number | null;
  checker: Pick<HistoryCheck, 'issuedDuplicates' | 'deliveredDuplicates' | 'overlaps'> &
    Partial<Pick<HistoryCheck, 'issued' | 'outOfOrder' | 'gaps' | 'deliveredUnrecorded' | 'examples'>>;
  requests: number;
  durationMs: number;
  /** What the fault did, as its driver saw it. */
  note: string;
}

/** The cells where issue 8 says the fault must show a duplicate without fencing: the window is real. */
const MUST_SHOW_WINDOW: ReadonlyArray<{ fault: FaultId; strategy: StrategyName }> = [
  { fault: 'delayed-write', strategy: 'redis' },
  { fault: 'delayed-write', strategy: 'zookeeper' },
];

/**
 * Where an asynchronous replica may lack writes the primary acknowledged: issue 8's one allowed
 * exception, reported beside its mitigation. With WAIT a number whose write was cut off by the
 * crash is issued but never answered, so there only delivered duplicates are a bug.
 */
const ROLLBACK_FAULTS: readonly FaultId[] = ['redis-failover', 'redis-failover-wait'];

/**
 * What in the matrix is a bug or a broken measurement, one sentence each: a duplicate under
 * fencing from a strategy that claims uniqueness, a checker that disagrees with the client, a
 * hung request, a target that never recovered, a fault that did not open the window it is there to open.
 */
export function findFaultProblems(cells: readonly FaultResult[]): string[] {
  const problems: string[] = [];
  for (const cell of cells) {
    const name = `${cell.strategy} × ${cell.fault} (fencing ${cell.fencing ? 'on' : 'off'})`;
    if (cell.checker.deliveredDuplicates !== cell.duplicates) {
      problems.push(`${name}: the history checker counts ${cell.checker.deliveredDuplicates} delivered duplicates, the client ${cell.duplicates}`);
    }
    const claimsUniqueness = cell.fencing && UNIQUE_STRATEGIES.includes(cell.strategy);
    if (claimsUniqueness && cell.fault === 'redis-failover-wait' && cell.checker.deliveredDuplicates > 0) {
      problems.push(`${name}: ${cell.checker.deliveredDuplicates} duplicates delivered although every number waited for the replica`);
    } else if (claimsUniqueness && !ROLLBACK_FAULTS.includes(cell.fault) && cell.checker.issuedDuplicates > 0) {
      problems.push(`${name}: ${cell.checker.issuedDuplicates} duplicates issued (${cell.duplicates} delivered) by a strategy that claims uniqueness`);
    }
    if (cell.hung > 0) problems.push(`${name}: ${cell.hung} requests hung (no answer within the client's deadline)`);
    // Every fault ends, and the cluster must heal without a restart: a line still refused is a bug.
    if (cell.recoverMs === null) problems.push(`${name}: never recovered (${TARGET_REPLICA} issued nothing on some business line after the fault)`);
    if (cell.checker.deliveredUnrecorded) problems.push(`${name}: ${cell.checker.deliveredUnrecorded} numbers delivered that no history recorded`);
    const mustShow = MUST_SHOW_WINDOW.some((entry) => entry.fault === cell.fault && entry.strategy === cell.strategy);
    if (mustShow && !cell.fencing && cell.checker.issuedDuplicates === 0) {
      problems.push(`${name}: no duplicate without fencing: the fault did not open the window it exists to show`);
    }
  }
  return problems;
}
