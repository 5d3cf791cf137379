import { ConfigUsageError } from './config-patch';
import { parseCommand, resolveTarget } from './config-command';

function usageError(run: () => unknown): ConfigUsageError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigUsageError);
    return error as ConfigUsageError;
  }
  throw new Error('accepted');
}

describe('parseCommand', () => {
  it('reads get, reset and set with options anywhere', () => {
    expect(parseCommand(['get'])).toEqual({ action: { kind: 'get' }, zk: undefined, stateFile: undefined });
    expect(parseCommand(['reset', '--zk', 'zk:2181'])).toEqual({ action: { kind: 'reset' }, zk: 'zk:2181', stateFile: undefined });
    expect(parseCommand(['--zk', 'a:1,b:2', 'set', 'strategy', 'redis', 'lockFencing', 'off'])).toEqual({
      action: { kind: 'set', patch: { strategy: 'redis', lockFencing: false } },
      zk: 'a:1,b:2',
      stateFile: undefined,
    });
  });

  it('reads set --raw as unvalidated bytes', () => {
    expect(parseCommand(['set', '--raw', '{"strategy":"zookeper"}']).action).toEqual({ kind: 'raw', data: Buffer.from('{"strategy":"zookeper"}') });
    expect(parseCommand(['set', '--raw', 'not json']).action).toEqual({ kind: 'raw', data: Buffer.from('not json') });
  });

  it.each([
    [[], /no command/],
    [['put', 'strategy', 'redis'], /unknown command 'put'/],
    [['get', 'strategy'], /takes no arguments/],
    [['get', '--raw', 'x'], /--raw goes with set/],
    [['set', '--raw', 'x', 'strategy', 'redis'], /no KEY VALUE pairs/],
    [['set', 'strategy', 'zookeper'], /^strategy: must be one of/],
    [['get', '--zookeeper', 'x'], /zookeeper/],
  ])('refuses %p', (argv, message) => {
    expect(usageError(() => parseCommand(argv)).message).toMatch(message);
  });
});

describe('resolveTarget', () => {
  it('has the order service\'s defaults', () => {
    expect(resolveTarget(undefined, {}, undefined)).toEqual({
      zookeeper: '127.0.0.1:2181',
      source: 'the default',
      path: '/ordernum/config/order-service',
      seed: { strategy: 'zookeeper', businessLines: [1001, 2001, 3001, 4001], lockTtlMs: 2000, lockFencing: true },
    });
  });

  it('prefers --zk, then ZK_CONNECT, then the local cluster', () => {
    expect(resolveTarget('flag:1', { ZK_CONNECT: 'env:2' }, 'state:3').zookeeper).toBe('flag:1');
    expect(resolveTarget(undefined, { ZK_CONNECT: 'env:2' }, 'state:3').zookeeper).toBe('env:2');
    expect(resolveTarget(undefined, {}, 'state:3')).toMatchObject({ zookeeper: 'state:3', source: expect.stringContaining('state file') });
  });

  it('seeds from the same variables as a replica and follows ZK_ROOT', () => {
    const sut = resolveTarget(undefined, { ZK_ROOT: '/demo', ORDER_STRATEGY: 'redis', BUSINESS_LINES: '7', LOCK_TTL_MS: '900', LOCK_FENCING: 'off', HTTP_PORT: 'ignored' }, undefined);
    expect(sut).toMatchObject({ path: '/demo/config/order-service', seed: { strategy: 'redis', businessLines: [7], lockTtlMs: 900, lockFencing: false } });
  });

  it('names a bad variable as the replicas would', () => {
    expect(usageError(() => resolveTarget(undefined, { ZK_ROOT: 'demo/' }, undefined)).message).toContain('ZK_ROOT');
    expect(usageError(() => resolveTarget(undefined, { ORDER_STRATEGY: 'zk' }, undefined)).message).toContain('ORDER_STRATEGY');
  });
});
