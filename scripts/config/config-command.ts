import { parseArgs } from 'node:util';
import { InvalidConfigError } from '../../libs/config/src/env-schema';
import { loadOrderServiceConfig, STRATEGY_NAMES, ZookeeperPaths } from '@app/contracts';
import { RuntimeConfig, runtimeConfigFromEnv, runtimeConfigSchema } from '@app/contracts';
import { ConfigUsageError, parseSettings, RuntimeConfigPatch } from './config-patch';

export type ConfigAction =
  | { kind: 'get' }
  | { kind: 'set'; patch: RuntimeConfigPatch }
  /** Unvalidated bytes, so that a refused config can be demonstrated. */
  | { kind: 'raw'; data: Buffer }
  /** The environment's defaults, as a replica would seed a missing node. */
  | { kind: 'reset' }
  | { kind: 'help' };

export interface ConfigCommand {
  action: ConfigAction;
  /** `--zk`, when given. */
  zk?: string;
  stateFile?: string;
}

export const USAGE = `usage: npm run config -- <command> [--zk host:port,...] [--state-file FILE]

  get                          print the config center's node (<ZK_ROOT>/config/order-service) and its version
  set KEY VALUE [KEY VALUE...] change fields, validated with the replicas' own schema first:
                                 strategy       ${STRATEGY_NAMES.join('|')}
                                 businessLines  1001,2001,...
                                 lockTtlMs      ${runtimeConfigSchema.shape.lockTtlMs.minValue}..${runtimeConfigSchema.shape.lockTtlMs.maxValue}
                                 lockFencing    on|off
  set --raw 'TEXT'             UNVALIDATED: write TEXT as it is (to demonstrate how replicas refuse a bad config)
  reset                        write the defaults from the environment (ORDER_STRATEGY, BUSINESS_LINES, LOCK_TTL_MS, LOCK_FENCING)

ZooKeeper: --zk, else ZK_CONNECT, else the "zookeeper" of .cluster/state.json, else 127.0.0.1:2181.
ZK_ROOT (default /ordernum) is read from the environment, as the replicas read it.
Exit codes: 0 done, 1 ZooKeeper failed or the node is missing, 2 bad command line or refused value.`;

/** `process.argv.slice(2)` → what to do; throws `ConfigUsageError` on anything it cannot use. */
export function parseCommand(argv: readonly string[]): ConfigCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { zk: { type: 'string' }, 'state-file': { type: 'string' }, raw: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new ConfigUsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const connection = { zk: values.zk, stateFile: values['state-file'] };
  if (values.help) return { action: { kind: 'help' }, ...connection };
  const [command, ...rest] = positionals;
  if (values.raw !== undefined && command !== 'set') throw new ConfigUsageError('--raw goes with set: set --raw \'TEXT\'');
  switch (command) {
    case 'get':
    case 'reset':
      if (rest.length > 0) throw new ConfigUsageError(`${command} takes no arguments (got ${rest.join(' ')})`);
      return { action: { kind: command }, ...connection };
    case 'set':
      if (values.raw !== undefined) {
        if (rest.length > 0) throw new ConfigUsageError('set --raw takes the whole node text and no KEY VALUE pairs');
        return { action: { kind: 'raw', data: Buffer.from(values.raw, 'utf8') }, ...connection };
      }
      return { action: { kind: 'set', patch: parseSettings(rest) }, ...connection };
    case undefined:
      throw new ConfigUsageError('no command: get, set or reset');
    default:
      throw new ConfigUsageError(`unknown command '${command}': get, set or reset`);
  }
}

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
  if (zookeeper.trim() === '') throw new ConfigUsageError(`${source}: an empty ZooKeeper connect string; want host:port[,host:port...]`, source);
  return { zookeeper, source, path: new ZookeeperPaths(config.ZK_ROOT).config, seed: runtimeConfigFromEnv(config) };
}
