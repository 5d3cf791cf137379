import { InvalidConfigError } from '@app/config';
import { loadOrderServiceConfig, RuntimeConfig, runtimeConfigFromEnv, ZookeeperPaths } from '@app/contracts';
import { ConfigUsageError } from './config-patch';

export interface ConfigTarget {
  zookeeper: string;
  /** Where `zookeeper` came from, for the operator. */
  source: string;
  /** `<ZK_ROOT>/config/order-service` */
  path: string;
  /** The node's content when it has to be created: what a replica started with this environment would seed. */
  seed: RuntimeConfig;
}

/**
 * Where the node is and what seeds it, from the same variables and defaults as the order service
 * (so a bad ZK_ROOT or ORDER_STRATEGY is named exactly as a replica would name it).
 */
export function resolveTarget(zk: string | undefined, env: NodeJS.ProcessEnv, clusterZookeeper: string | undefined): ConfigTarget {
  const names = ['ZK_CONNECT', 'ZK_ROOT', 'ORDER_STRATEGY', 'BUSINESS_LINES', 'LOCK_TTL_MS', 'LOCK_FENCING'] as const;
  let config;
  try {
    config = loadOrderServiceConfig(Object.fromEntries(names.filter((name) => env[name] !== undefined).map((name) => [name, env[name]])));
  } catch (error) {
    if (error instanceof InvalidConfigError) throw new ConfigUsageError(error.message);
    throw error;
  }
  const [zookeeper, source] =
    zk !== undefined ? [zk, '--zk']
    : env.ZK_CONNECT !== undefined ? [config.ZK_CONNECT, 'ZK_CONNECT']
    : clusterZookeeper !== undefined ? [clusterZookeeper, 'the local cluster\'s state file']
    : [config.ZK_CONNECT, 'the default'];
  if (zookeeper.trim() === '')
    throw new ConfigUsageError(`${source}: an empty ZooKeeper connect string; want host:port[,host:port...]`, source);
  return { zookeeper, source, path: new ZookeeperPaths(config.ZK_ROOT).config, seed: runtimeConfigFromEnv(config) };
}
