import { ConfigUsageError } from './config-patch';
import { resolveTarget } from './config-target';

function usageError(run: () => unknown): ConfigUsageError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigUsageError);
    return error as ConfigUsageError;
  }
  throw new Error('accepted');
}

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
    const sut = resolveTarget(
      undefined,
      { ZK_ROOT: '/demo', ORDER_STRATEGY: 'redis', BUSINESS_LINES: '7', LOCK_TTL_MS: '900', LOCK_FENCING: 'off', HTTP_PORT: 'ignored' },
      undefined,
    );
    expect(sut).toMatchObject({
      path: '/demo/config/order-service',
      seed: { strategy: 'redis', businessLines: [7], lockTtlMs: 900, lockFencing: false },
    });
  });

  it('names a bad variable as the replicas would', () => {
    expect(usageError(() => resolveTarget(undefined, { ZK_ROOT: 'demo/' }, undefined)).message).toContain('ZK_ROOT');
    expect(usageError(() => resolveTarget(undefined, { ORDER_STRATEGY: 'zk' }, undefined)).message).toContain('ORDER_STRATEGY');
  });
});
