import { StrategyName } from '@app/contracts';
import { DelayedWriteFault } from './delayed-write.fault';
import { FaultDriver, FaultId } from './fault-driver';
import { KillReplicaFault } from './kill-replica.fault';
import { PauseFault } from './pause.fault';
import { SigstopFault } from './sigstop.fault';
import { RedisRestartFault } from './redis-restart.fault';
import { ZkRestartFault } from './zk-restart.fault';
import { ClockSkewFault } from './clock-skew.fault';

/** The strategies that issue under a lock, where the pause sits and a ledger write can be delayed. */
const LOCKED: readonly StrategyName[] = ['none', 'local', 'zookeeper', 'zookeeper-ephemeral', 'redis'];
/** Locks with a fencing token: their cells run with fencing on and off. */
const FENCEABLE: readonly StrategyName[] = ['zookeeper', 'zookeeper-ephemeral', 'redis'];
/** Whose numbers depend on Redis (the ledger, the pool): Redis faults run for these. */
const REDIS_BACKED: readonly StrategyName[] = [...LOCKED, 'redis-pregen'];
/** Whose guard lives in ZooKeeper (locks, worker leases): ZooKeeper faults run for these. */
const ZOOKEEPER_BACKED: readonly StrategyName[] = ['zookeeper', 'zookeeper-ephemeral', 'snowflake'];

/** The faults that let another holder overtake a live one: where fencing is the difference. */
const OVERTAKING: readonly FaultId[] = ['pause', 'sigstop', 'delayed-write'];

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
    case 'redis-restart':
      return new RedisRestartFault();
    case 'zk-restart':
      return new ZkRestartFault();
    case 'clock-ahead':
    case 'clock-behind':
      return new ClockSkewFault(id);
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
    case 'clock-ahead':
    case 'clock-behind':
      return true;
    case 'redis-restart':
      return REDIS_BACKED.includes(strategy);
    case 'zk-restart':
      return ZOOKEEPER_BACKED.includes(strategy);
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
  return OVERTAKING.includes(fault) ? [true, false] : [true];
}
