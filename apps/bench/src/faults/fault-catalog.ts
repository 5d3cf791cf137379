import { StrategyName } from '@app/contracts';
import { DelayedWriteFault } from './delayed-write.fault';
import { FaultDriver, FaultId } from './fault-driver';
import { KillReplicaFault } from './kill-replica.fault';
import { PauseFault } from './pause.fault';
import { SigstopFault } from './sigstop.fault';

/** The strategies that issue under a lock, where the pause sits and a ledger write can be delayed. */
const LOCKED: readonly StrategyName[] = ['none', 'local', 'zookeeper', 'zookeeper-ephemeral', 'redis'];
/** Locks with a fencing token: their cells run with fencing on and off. */
const FENCEABLE: readonly StrategyName[] = ['zookeeper', 'zookeeper-ephemeral', 'redis'];

/** One exhaustive switch from id to driver: a new fault id cannot be forgotten here. */
export function createFaultDriver(id: FaultId): FaultDriver {
  switch (id) {
    case 'pause':
      return new PauseFault();
    case 'sigstop':
      return new SigstopFault();
    case 'delayed-write':
      return new DelayedWriteFault();
    case 'kill-replica':
      return new KillReplicaFault();
    default:
      return unknownFault(id);
  }
}

function unknownFault(id: never): never {
  throw new Error(`unknown fault ${String(id)}`);
}

/** Whether `fault` means anything for `strategy`. */
export function faultApplies(fault: FaultId, strategy: StrategyName): boolean {
  switch (fault) {
    case 'pause':
    case 'delayed-write':
      return LOCKED.includes(strategy);
    case 'sigstop':
    case 'kill-replica':
      return true;
    default:
      return unknownFault(fault);
  }
}

/**
 * The fencing values a cell runs with: both for the fenceable locks under the faults that
 * overtake a holder (the comparison of what fencing buys), on elsewhere. `none` and `local` have
 * no token, so their one cell says fencing off.
 */
export function fencingValues(fault: FaultId, strategy: StrategyName): boolean[] {
  if (!FENCEABLE.includes(strategy)) return [LOCKED.includes(strategy) ? false : true];
  return fault === 'kill-replica' ? [true] : [true, false];
}
