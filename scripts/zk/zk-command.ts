import { parseArgs } from 'node:util';

/** What `npm run zk -- ...` was asked to do. */
export type ZkVerb =
  | { verb: 'ls'; path: string; recursive: boolean }
  | { verb: 'stat'; path: string; withChildren: boolean }
  | { verb: 'get'; path: string }
  | { verb: 'create'; path: string; data?: string; ephemeral: boolean; sequential: boolean }
  | { verb: 'set'; path: string; data: string; version?: number }
  | { verb: 'delete'; path: string; version?: number }
  | { verb: 'deleteall'; path: string }
  | { verb: '4lw'; word: string }
  | { verb: 'help' };

export interface ZkCommand {
  action: ZkVerb;
  /** `--server host:port,...`, when given. */
  server?: string;
  stateFile?: string;
  json: boolean;
  force: boolean;
}

/** A command line the CLI cannot use; exit code 2. */
export class ZkUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZkUsageError';
  }
}

export const ZK_USAGE = `usage: npm run zk -- <verb> [args] [--server host:port,...] [--state-file FILE] [--json] [--force]

  ls [-R] PATH                 children of PATH (-R: every path below it)
  ls2 PATH | stat PATH         the node's stat (ls2 adds its children)
  get PATH                     the node's data, then its stat
  create [-e] [-s] PATH [DATA] a node (-e ephemeral: gone when this command's session ends; -s sequential)
  set PATH DATA [VERSION]      new data; with VERSION, only if the node still has that version
  delete PATH [VERSION]        a node without children; with VERSION, only at that version
  deleteall PATH               the node and everything under it
  4lw WORD                     a read-only four-letter word (srvr, stat, mntr, cons, dump, envi, reqs, wchs, wchc, wchp, conf, ruok, ...) to every server

ZooKeeper: --server, else ZK_CONNECT, else the "zookeeper" of .cluster/state.json, else 127.0.0.1:2181.
Writes outside ZK_ROOT (default /ordernum, from the environment) are refused unless --force.
--json prints one JSON document instead of zkCli's text.
Exit codes: 0 done, 1 ZooKeeper failed or refused the operation (no node, bad version, ...), 2 bad command line or refused write.`;

const VERSION = /^(0|[1-9]\d{0,9})$/;

function version(text: string | undefined, verb: string): number | undefined {
  if (text === undefined) return undefined;
  if (!VERSION.test(text)) throw new ZkUsageError(`${verb}: VERSION must be a non-negative integer (got "${text}")`);
  return Number(text);
}

function path(text: string | undefined, verb: string): string {
  if (text === undefined) throw new ZkUsageError(`${verb}: PATH is missing`);
  if (!text.startsWith('/')) throw new ZkUsageError(`${verb}: PATH must be absolute (got "${text}")`);
  if (text.length > 1 && text.endsWith('/')) throw new ZkUsageError(`${verb}: PATH must not end with / (got "${text}")`);
  return text;
}

function atMost(args: readonly string[], count: number, verb: string): void {
  if (args.length > count) throw new ZkUsageError(`${verb}: too many arguments (${args.slice(count).join(' ')})`);
}

/** `process.argv.slice(2)` → what to do; throws `ZkUsageError` on anything it cannot use. */
export function parseZkCommand(argv: readonly string[]): ZkCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        server: { type: 'string' },
        'state-file': { type: 'string' },
        json: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
        R: { type: 'boolean', short: 'R', default: false },
        e: { type: 'boolean', short: 'e', default: false },
        s: { type: 'boolean', short: 's', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new ZkUsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const common = { server: values.server, stateFile: values['state-file'], json: values.json, force: values.force };
  const [verb, ...args] = positionals;
  if (values.help || verb === 'help') return { action: { verb: 'help' }, ...common };
  if ((values.R && verb !== 'ls') || ((values.e || values.s) && verb !== 'create')) {
    throw new ZkUsageError('-R goes with ls, -e and -s with create');
  }
  switch (verb) {
    case 'ls':
      atMost(args, 1, verb);
      return { action: { verb, path: path(args[0], verb), recursive: values.R }, ...common };
    case 'ls2':
    case 'stat':
      atMost(args, 1, verb);
      return { action: { verb: 'stat', path: path(args[0], verb), withChildren: verb === 'ls2' }, ...common };
    case 'get':
    case 'deleteall':
      atMost(args, 1, verb);
      return { action: { verb, path: path(args[0], verb) }, ...common };
    case 'create':
      atMost(args, 2, verb);
      return { action: { verb, path: path(args[0], verb), data: args[1], ephemeral: values.e, sequential: values.s }, ...common };
    case 'set':
      atMost(args, 3, verb);
      if (args[1] === undefined) throw new ZkUsageError('set: DATA is missing');
      return { action: { verb, path: path(args[0], verb), data: args[1], version: version(args[2], verb) }, ...common };
    case 'delete':
      atMost(args, 2, verb);
      return { action: { verb, path: path(args[0], verb), version: version(args[1], verb) }, ...common };
    case '4lw':
      atMost(args, 1, verb);
      if (args[0] === undefined || !/^[a-z]{4}$/.test(args[0]))
        throw new ZkUsageError(`4lw: WORD must be four lower-case letters (got "${args[0] ?? ''}")`);
      return { action: { verb, word: args[0] }, ...common };
    case undefined:
      throw new ZkUsageError('no verb: ls, ls2, stat, get, create, set, delete, deleteall or 4lw');
    default:
      throw new ZkUsageError(`unknown verb '${verb}': ls, ls2, stat, get, create, set, delete, deleteall or 4lw`);
  }
}
