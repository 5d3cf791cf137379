import Redis from 'ioredis';
import { DbLock, LocalLock, RedisLock, RedlockLock, UnguardedLock, ZookeeperEphemeralLock, ZookeeperSequentialLock, DistributedLock } from '@app/locks';
import { MariadbDatabase } from '@app/mariadb';
import { LogSink, ZookeeperSession } from '@app/zookeeper';
import { Clock } from './clock';
import { FaultInjector } from './fault-injector';
import { SequenceLedger } from './ledger/sequence-ledger';
import { LockedSettings, LockedStrategy } from './strategies/locked.strategy';
import { OrderNumberStrategy } from './strategies/order-number-strategy';
import { PooledStrategy } from './strategies/pooled.strategy';
import { SnowflakeStrategy } from './strategies/snowflake.strategy';
import { DbSegmentStrategy } from './strategies/db-segment.strategy';
import { SegmentLedger } from './ledger/segment-ledger';
import { StrategyName, ZookeeperPaths } from '@app/contracts';

export interface StrategyDependencies {
  redis: Redis;
  session: ZookeeperSession;
  /** MariaDB of `db-lock` and `db-segment`; it connects on their first use. */
  database: MariadbDatabase;
  /** Where the locks and worker leases live in ZooKeeper. */
  paths: ZookeeperPaths;
  /** Redis key prefix, e.g. `ordernum:`. */
  redisPrefix: string;
  /** Written into lock and lease nodes, so an operator sees who holds what. */
  owner: string;
  settings: () => LockedSettings;
  fault: FaultInjector;
  /** The one clock the strategies stamp with (shifted and skew-gated by the replica). */
  clock: Clock;
  /** Wraps each lock before a strategy gets it (the history recording of `npm run faults`). */
  wrapLock?: (lock: DistributedLock) => DistributedLock;
  /** A logger for each lock and strategy, named after it. */
  loggerFor(context: string): LogSink;
}

/** The one place a strategy name becomes a strategy: exhaustive, no fallback to "unlocked". */
export function createStrategy(name: StrategyName, deps: StrategyDependencies): OrderNumberStrategy {
  const ledger = new SequenceLedger(deps.redis, deps.redisPrefix);
  const locked = (lock: DistributedLock) =>
    new LockedStrategy(
      name,
      deps.wrapLock?.(lock) ?? lock,
      ledger,
      deps.settings,
      deps.fault,
      deps.clock,
      deps.loggerFor(LockedStrategy.name),
    );
  switch (name) {
    case 'none':
      return locked(new UnguardedLock());
    case 'local':
      return locked(new LocalLock());
    case 'zookeeper':
      return locked(
        new ZookeeperSequentialLock(deps.session, deps.paths.sequentialLocks, deps.owner, deps.loggerFor(ZookeeperSequentialLock.name)),
      );
    case 'zookeeper-ephemeral':
      return locked(
        new ZookeeperEphemeralLock(deps.session, deps.paths.ephemeralLocks, deps.owner, deps.loggerFor(ZookeeperEphemeralLock.name)),
      );
    case 'redis':
      return locked(new RedisLock(deps.redis, deps.redisPrefix, deps.loggerFor(RedisLock.name)));
    case 'redlock':
      return locked(new RedlockLock(deps.redis, deps.redisPrefix, deps.loggerFor(RedlockLock.name)));
    case 'redis-pregen':
      return new PooledStrategy(deps.redis, deps.redisPrefix);
    case 'db-lock':
      return locked(new DbLock(deps.database, deps.redisPrefix, deps.loggerFor(DbLock.name)));
    case 'db-segment':
      return new DbSegmentStrategy(new SegmentLedger(deps.database, () => deps.settings().lockWaitMs), ledger, deps.clock, {
        logger: deps.loggerFor(DbSegmentStrategy.name),
      });
    case 'snowflake':
      return new SnowflakeStrategy(deps.session, deps.paths, deps.owner, ledger, deps.settings, deps.clock, {
        logger: deps.loggerFor(SnowflakeStrategy.name),
      });
    default:
      return unknownStrategy(name);
  }
}

function unknownStrategy(name: never): never {
  throw new Error(`unknown order-number strategy ${String(name)}`);
}
