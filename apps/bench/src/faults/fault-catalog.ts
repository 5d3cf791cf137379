import { StrategyName, UNIQUE_STRATEGIES } from '@app/contracts';
import { DelayedWriteFault } from './delayed-write.fault';
import { FaultDriver, FaultId } from './fault-driver';
import { KillReplicaFault } from './kill-replica.fault';
import { PauseFault } from './pause.fault';
import { SigstopFault } from './sigstop.fault';
import { ServerRestartFault } from './server-restart.fault';
import { SwitchFault } from './switch.fault';
import { ZkLeaderFault } from './zk-leader.fault';
import { DELETABLE_LOCKS, DeleteLockFault } from './delete-lock.fault';
import { ClockSkewFault } from './clock-skew.fault';
import { EDITABLE_STATE, EditStateFault } from './edit-state.fault';
import { RedisFailoverFault } from './redis-failover.fault';

/** The strategies that issue under a lock, where the pause sits and a ledger write can be delayed. */
const LOCKED: readonly StrategyName[] = ['none', 'local', 'zookeeper', 'zookeeper-ephemeral', 'redis', 'redlock', 'db-lock'];
/** Locks with a fencing token: their cells run with fencing on and off (redlock has none). */
const FENCEABLE: readonly StrategyName[] = ['zookeeper', 'zookeeper-ephemeral', 'redis', 'db-lock'];
/** Whose numbers depend on Redis (the ledger, the pool): Redis faults run for these. */
const REDIS_BACKED: readonly StrategyName[] = [...LOCKED, 'redis-pregen'];
/** Whose guard lives in ZooKeeper (locks, worker leases): ZooKeeper faults run for these. */
const ZOOKEEPER_BACKED: readonly StrategyName[] = ['zookeeper', 'zookeeper-ephemeral', 'snowflake'];
/** Whose guard or ledger lives in MariaDB: the database fault runs for these. */
const DATABASE_BACKED: readonly StrategyName[] = ['db-lock', 'db-segment'];

/** The faults that let another holder overtake a live one: where fencing is the difference. */
const OVERTAKING: readonly FaultId[] = ['pause', 'sigstop', 'delayed-write', 'delete-lock'];

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
    case 'redis-restart-aof':
    case 'zk-restart':
    case 'db-restart':
      return new ServerRestartFault(id);
    case 'redis-failover':
    case 'redis-failover-wait':
      return new RedisFailoverFault(id);
    case 'clock-ahead':
    case 'clock-behind':
      return new ClockSkewFault(id);
    case 'switch':
      return new SwitchFault();
    case 'zk-leader':
      return new ZkLeaderFault();
    case 'delete-lock':
      return new DeleteLockFault();
    case 'edit-state':
      return new EditStateFault();
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
    case 'redis-restart-aof':
    case 'redis-failover':
    case 'redis-failover-wait':
      return REDIS_BACKED.includes(strategy);
    case 'zk-restart':
    case 'zk-leader':
      return ZOOKEEPER_BACKED.includes(strategy);
    case 'db-restart':
      return DATABASE_BACKED.includes(strategy);
    case 'switch':
      // The switch guarantee is for the strategies that claim uniqueness (DESIGN §2).
      return UNIQUE_STRATEGIES.includes(strategy);
    case 'delete-lock':
      return DELETABLE_LOCKS.includes(strategy);
    case 'edit-state':
      return EDITABLE_STATE.includes(strategy);
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
