import { parseArgs } from 'node:util';
import { ConfigUsageError, parseSettings, RuntimeConfigPatch } from '@app/config-center';
import { runtimeConfigSchema, STRATEGY_NAMES } from '@app/contracts';

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
                                 lockBatchMax   ${runtimeConfigSchema.shape.lockBatchMax.unwrap().minValue}..${runtimeConfigSchema.shape.lockBatchMax.unwrap().maxValue} (requests per critical section; 1 = one lock per order)
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
