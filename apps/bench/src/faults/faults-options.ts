import { STRATEGY_NAMES, StrategyName } from '@app/contracts';
import { BenchArgumentError, HelpRequested, parseCount, parseOptions, parseStrategies } from '../bench-options';
import { FAULT_IDS, FaultId } from './fault-driver';

/** Everything one `npm run faults` is told from outside. */
export interface FaultsOptions {
  strategies: StrategyName[];
  faults: FaultId[];
  connections: number;
  outDir: string;
}

export const DEFAULT_FAULTS_OPTIONS: Readonly<FaultsOptions> = {
  strategies: [...STRATEGY_NAMES],
  faults: [...FAULT_IDS],
  connections: 32,
  outDir: 'faults-results',
};

/** What `npm run demo` runs after the calm comparison: what fencing buys, in under three minutes. */
export const DEMO_FAULTS: Readonly<Pick<FaultsOptions, 'strategies' | 'faults'>> = {
  strategies: ['redis', 'zookeeper'],
  faults: ['pause', 'delayed-write'],
};

export const FAULTS_USAGE = `usage: npm run faults -- [options]
  --strategies a,b     strategies to put under faults (default: all: ${STRATEGY_NAMES.join(', ')})
  --faults x,y         faults to inject (default: all: ${FAULT_IDS.join(', ')})
  --connections N      concurrent connections of the load (default ${DEFAULT_FAULTS_OPTIONS.connections})
  --out DIR            where results.json and report.html go (default ${DEFAULT_FAULTS_OPTIONS.outDir}/)
  --help               this text`;

export function parseFaults(text: string): FaultId[] {
  const names = text.split(',').map((part) => part.trim()).filter((part) => part !== '');
  if (names.length === 0) throw new BenchArgumentError(`--faults: no fault given; valid: ${FAULT_IDS.join(', ')}`, 'faults');
  const unknown = names.filter((name) => !isFaultId(name));
  if (unknown.length > 0) {
    throw new BenchArgumentError(
      `--faults: unknown fault ${unknown.map((name) => `"${name}"`).join(', ')}; valid: ${FAULT_IDS.join(', ')}`,
      'faults',
    );
  }
  const valid = names.filter(isFaultId);
  if (new Set(valid).size !== valid.length) throw new BenchArgumentError('--faults: a fault is listed twice', 'faults');
  return valid;
}

function isFaultId(name: string): name is FaultId {
  return (FAULT_IDS as readonly string[]).includes(name);
}

/** Parses `npm run faults`' command line (after the `faults` word); throws BenchArgumentError or HelpRequested. */
export function parseFaultsArgs(argv: readonly string[]): FaultsOptions {
  const values = parseOptions(
    argv,
    {
      strategies: { type: 'string' },
      faults: { type: 'string' },
      connections: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
    FAULTS_USAGE,
  );
  if (values.help) throw new HelpRequested(FAULTS_USAGE);
  const connections = parseCount('connections', values.connections, DEFAULT_FAULTS_OPTIONS.connections, 1, 1024);
  if (values.out !== undefined && values.out.trim() === '') throw new BenchArgumentError('--out: empty value', 'out');
  return {
    strategies: values.strategies === undefined ? [...DEFAULT_FAULTS_OPTIONS.strategies] : parseStrategies(values.strategies),
    faults: values.faults === undefined ? [...DEFAULT_FAULTS_OPTIONS.faults] : parseFaults(values.faults),
    connections,
    outDir: values.out ?? DEFAULT_FAULTS_OPTIONS.outDir,
  };
}
