import { parseArgs, ParseArgsConfig } from 'node:util';
import { STRATEGY_NAMES, StrategyName } from '@app/contracts';

/** Everything one bench run is told from outside; the CLI and the programmatic entry share it. */
export interface BenchOptions {
  strategies: StrategyName[];
  /** Concurrent autocannon connections of every run. */
  connections: number;
  /** Measured requests per strategy (autocannon `amount`, for exact accounting). */
  requests: number;
  /** Requests sent before each measured run and not counted (pools, leases, JIT, connections). */
  warmupRequests: number;
  /** Replicas of a cluster the bench starts itself (the first of `replicaCounts`). */
  replicas: number;
  /**
   * Cluster sizes to run the whole table at, each on a fresh cluster (`--replicas 1,2,3,5`);
   * with more than one, the report draws orders/s and p99 against replicas (SCALING.md).
   */
  replicaCounts: number[];
  outDir: string;
  /** A running cluster's state.json; when nothing answers there, the bench starts its own. */
  stateFile: string;
  /** Always start (and stop) a fresh cluster, whatever `stateFile` says. */
  demo: boolean;
  /** How long each raw backend rate is measured. */
  backendSampleMs: number;
  /** A cluster the bench starts runs with credentials (`npm run cluster -- --secure`). */
  secure: boolean;
}

export const DEFAULT_BENCH_OPTIONS: Readonly<BenchOptions> = {
  strategies: [...STRATEGY_NAMES],
  connections: 32,
  requests: 2000,
  warmupRequests: 300,
  replicas: 3,
  replicaCounts: [3],
  outDir: 'bench-results',
  stateFile: '.cluster/state.json',
  demo: false,
  backendSampleMs: 1500,
  secure: false,
};

export const BENCH_USAGE = `usage: npm run bench -- [options]
  --strategies a,b     strategies to compare (default: all: ${STRATEGY_NAMES.join(', ')})
  --connections N      concurrent connections (default ${DEFAULT_BENCH_OPTIONS.connections})
  --requests N         measured requests per strategy (default ${DEFAULT_BENCH_OPTIONS.requests})
  --warmup N           unmeasured requests before each run (default ${DEFAULT_BENCH_OPTIONS.warmupRequests})
  --replicas N[,M...]  replicas of a cluster the bench starts itself (default ${DEFAULT_BENCH_OPTIONS.replicas}); several sizes
                       (e.g. 1,2,3,5) run the table on a fresh cluster of each size and chart the scaling
  --out DIR            where results.json, report.html, orders-<strategy>.txt go (default ${DEFAULT_BENCH_OPTIONS.outDir}/)
  --state FILE         state.json of a running cluster (default ${DEFAULT_BENCH_OPTIONS.stateFile}); none running: one is started
  --demo               start a fresh cluster, run every strategy, stop it
  --secure             a cluster the bench starts has credentials on (ADMIN_TOKEN, ZooKeeper ACLs, Redis password)
  --help               this text`;

/** A command line the bench refuses; the message says what to type instead. */
export class BenchArgumentError extends Error {
  constructor(
    message: string,
    readonly option?: string,
  ) {
    super(message);
    this.name = 'BenchArgumentError';
  }
}

/** `--help` was asked for: not an error, but nothing to run either. */
export class HelpRequested extends Error {
  constructor(usage: string = BENCH_USAGE) {
    super(usage);
    this.name = 'HelpRequested';
  }
}

export function parseStrategies(text: string): StrategyName[] {
  const names = text.split(',').map((part) => part.trim()).filter((part) => part !== '');
  if (names.length === 0) {
    throw new BenchArgumentError(`--strategies: no strategy given; valid: ${STRATEGY_NAMES.join(', ')}`, 'strategies');
  }
  const unknown = names.filter((name) => !isStrategyName(name));
  if (unknown.length > 0) {
    throw new BenchArgumentError(
      `--strategies: unknown strategy ${unknown.map((name) => `"${name}"`).join(', ')}; valid: ${STRATEGY_NAMES.join(', ')}`,
      'strategies',
    );
  }
  const valid = names.filter(isStrategyName);
  if (new Set(valid).size !== valid.length) {
    throw new BenchArgumentError('--strategies: a strategy is listed twice', 'strategies');
  }
  return valid;
}

function isStrategyName(name: string): name is StrategyName {
  return (STRATEGY_NAMES as readonly string[]).includes(name);
}

/** `node:util`'s strict parseArgs for the bench's commands: its complaint becomes a BenchArgumentError ending with `usage`. */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(argv: readonly string[], options: T, usage: string) {
  try {
    return parseArgs({ args: [...argv], strict: true, allowPositionals: false, options }).values;
  } catch (error) {
    throw new BenchArgumentError(`${(error as Error).message}\n${usage}`);
  }
}

/** `text` as an integer min..max, or `fallback` when the option is absent. */
export function parseCount(option: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new BenchArgumentError(`--${option}: "${text}" is not an integer ${min}..${max}`, option);
  }
  return value;
}

/** Parses the bench's command line (without `node` and the script); throws BenchArgumentError. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const values = parseOptions(
    argv,
    {
      strategies: { type: 'string' },
      connections: { type: 'string' },
      requests: { type: 'string' },
      warmup: { type: 'string' },
      replicas: { type: 'string' },
      out: { type: 'string' },
      state: { type: 'string' },
      demo: { type: 'boolean' },
      secure: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    BENCH_USAGE,
  );
  if (values.help) throw new HelpRequested();
  const defaults = DEFAULT_BENCH_OPTIONS;
  const options: BenchOptions = {
    ...defaults,
    strategies: values.strategies === undefined ? [...defaults.strategies] : parseStrategies(values.strategies),
    connections: parseCount('connections', values.connections, defaults.connections, 1, 1024),
    requests: parseCount('requests', values.requests, defaults.requests, 1, 10_000_000),
    warmupRequests: parseCount('warmup', values.warmup, defaults.warmupRequests, 0, 10_000_000),
    ...parseReplicaCounts(values.replicas, defaults.replicaCounts),
    outDir: nonEmpty('out', values.out) ?? defaults.outDir,
    stateFile: nonEmpty('state', values.state) ?? defaults.stateFile,
    demo: values.demo ?? false,
    secure: values.secure ?? false,
  };
  // autocannon refuses a run with more connections than requests (some would send nothing).
  if (options.connections > options.requests) {
    throw new BenchArgumentError(
      `--connections (${options.connections}) must not exceed --requests (${options.requests})`,
      'connections',
    );
  }
  return options;
}

/** `3` or `1,2,3,5`: distinct sizes 1..32, run in ascending order. */
export function parseReplicaCounts(text: string | undefined, fallback: readonly number[]): { replicas: number; replicaCounts: number[] } {
  if (text === undefined) return { replicas: fallback[0], replicaCounts: [...fallback] };
  const counts = text.split(',').map((part) => parseCount('replicas', part.trim(), 0, 1, 32));
  if (new Set(counts).size !== counts.length) throw new BenchArgumentError('--replicas: a size is listed twice', 'replicas');
  counts.sort((a, b) => a - b);
  return { replicas: counts[0], replicaCounts: counts };
}

function nonEmpty(option: string, text: string | undefined): string | undefined {
  if (text !== undefined && text.trim() === '') throw new BenchArgumentError(`--${option}: empty value`, option);
  return text;
}
