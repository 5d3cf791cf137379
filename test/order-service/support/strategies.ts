import { StrategyName, ZookeeperPaths } from '@app/contracts';
import { MariadbDatabase } from '@app/mariadb';
import { createStrategy, FaultInjector, LockedSettings, OrderNumberStrategy, systemClock } from '@app/order-numbers';
import { useBackends } from '../../support/backends';

/**
 * A strategy built in this process the way a replica builds it (`createStrategy`), on the shared
 * test servers, under `prefix` in Redis and ZooKeeper alike, with silent loggers and no faults.
 */
export async function strategyInProcess(
  name: StrategyName,
  backends: ReturnType<typeof useBackends>,
  options: { prefix: string; database: MariadbDatabase; settings: LockedSettings; owner: string },
): Promise<OrderNumberStrategy> {
  return createStrategy(name, {
    redis: await backends.redis(),
    session: await backends.zookeeper(),
    database: options.database,
    paths: new ZookeeperPaths(`/${options.prefix.slice(0, -1)}`),
    redisPrefix: options.prefix,
    owner: options.owner,
    settings: () => options.settings,
    fault: new FaultInjector(0, 0),
    clock: systemClock,
    loggerFor: () => ({ log: () => undefined, warn: () => undefined }),
  });
}
