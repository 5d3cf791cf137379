import { STRATEGY_NAMES } from '@app/contracts';
import { BenchArgumentError, DEFAULT_BENCH_OPTIONS, HelpRequested, parseBenchArgs } from './bench-options';

describe('parseBenchArgs', () => {
  it('defaults to every strategy and the documented load', () => {
    const sut = parseBenchArgs([]);

    expect(sut.strategies).toEqual([...STRATEGY_NAMES]);
    expect(sut).toMatchObject({
      connections: 32,
      requests: 2000,
      replicas: 3,
      outDir: 'bench-results',
      stateFile: '.cluster/state.json',
      demo: false,
    });
  });

  it('reads every option', () => {
    const sut = parseBenchArgs([
      '--strategies',
      'none,zookeeper',
      '--connections',
      '8',
      '--requests',
      '300',
      '--replicas',
      '2',
      '--out',
      '/tmp/x',
      '--state',
      's.json',
      '--warmup',
      '0',
      '--demo',
    ]);

    expect(sut).toEqual({
      ...DEFAULT_BENCH_OPTIONS,
      strategies: ['none', 'zookeeper'],
      connections: 8,
      requests: 300,
      replicas: 2,
      replicaCounts: [2],
      outDir: '/tmp/x',
      stateFile: 's.json',
      warmupRequests: 0,
      demo: true,
    });
  });

  it('refuses an unknown strategy and names the valid ones', () => {
    const attempt = (): unknown => parseBenchArgs(['--strategies', 'none,zookeper']);

    expect(attempt).toThrow(BenchArgumentError);
    expect(attempt).toThrow(
      /unknown strategy "zookeper"; valid: none, local, zookeeper, zookeeper-ephemeral, redis, redis-pregen, snowflake/,
    );
  });

  it.each([
    [['--connections', '0'], /--connections: "0" is not an integer/],
    [['--requests', '12abc'], /--requests: "12abc" is not an integer/],
    [['--connections', '64', '--requests', '10'], /must not exceed --requests/],
    [['--strategies', 'none,none'], /listed twice/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(message);
  });

  it('answers --help with the usage', () => {
    expect(() => parseBenchArgs(['--help'])).toThrow(HelpRequested);
  });

  it('reads several cluster sizes for the scaling run, ascending, and refuses a repeated or impossible one', () => {
    expect(parseBenchArgs(['--replicas', '5,1,3,2'])).toMatchObject({ replicas: 1, replicaCounts: [1, 2, 3, 5] });
    expect(parseBenchArgs(['--replicas', '2'])).toMatchObject({ replicas: 2, replicaCounts: [2] });
    expect(parseBenchArgs([])).toMatchObject({ replicas: 3, replicaCounts: [3] });
    for (const bad of ['1,1', '0,2', '2,x', '1,,2', '40']) {
      expect(() => parseBenchArgs(['--replicas', bad])).toThrow(BenchArgumentError);
    }
  });
});
