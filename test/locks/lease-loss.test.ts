import { LockBackendError, RedisLock, ZookeeperEphemeralLock, ZookeeperSequentialLock } from '@app/locks';
import { eventually, useBackends } from '../support/backends';
import { usePrivateServices } from '../support/services';

const services = usePrivateServices();
const backends = useBackends();

describe.each([
  ['zookeeper', ZookeeperSequentialLock],
  ['zookeeper-ephemeral', ZookeeperEphemeralLock],
])('%s lease when ZooKeeper stops answering', (_name, Lock) => {
  it('aborts `lost` within the session timeout, and new acquisitions fail fast with a backend error', async () => {
    const zk = await services.zookeeper();
    const session = await backends.zookeeper(zk.connectString, 2000);
    const sut = new Lock(session, '/locks', 'holder');
    const lease = await sut.acquire('r', { waitMs: 1000, ttlMs: 1000 });
    expect(lease.lost.aborted).toBe(false);

    zk.pause(); // the server accepts bytes and never answers: the client library alone would not notice
    try {
      await eventually('the lease to be marked lost', () => lease.lost.aborted, 2000);
      const started = Date.now();
      await expect(sut.acquire('r', { waitMs: 5000, ttlMs: 1000 })).rejects.toBeInstanceOf(LockBackendError);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      zk.resume();
    }
  });
});

describe('redis lease when Redis stops answering', () => {
  it('aborts `lost` once the TTL may have passed unrenewed', async () => {
    const redisServer = await services.redis();
    const sut = new RedisLock(await backends.redis(redisServer.url), 'loss:');
    const lease = await sut.acquire('r', { waitMs: 1000, ttlMs: 600 });

    redisServer.pause();
    try {
      await eventually('the lease to be marked lost', () => lease.lost.aborted, 2000);
      expect(String(lease.lost.reason)).toMatch(/lost/);
    } finally {
      redisServer.resume();
    }
  });

  it('keeps the lease while the holder is alive: the watchdog renews it past its TTL', async () => {
    const sut = new RedisLock(await backends.redis(), 'renew:');
    const lease = await sut.acquire('r', { waitMs: 1000, ttlMs: 300 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(lease.lost.aborted).toBe(false);
    const other = new RedisLock(await backends.redis(), 'renew:');
    await expect(other.acquire('r', { waitMs: 200, ttlMs: 300 })).rejects.toThrow(/not acquired/);
    await lease.release();
  });
});

describe.each([
  ['zookeeper', ZookeeperSequentialLock],
  ['zookeeper-ephemeral', ZookeeperEphemeralLock],
])('%s lock across a suspension the session survives', (_name, Lock) => {
  it('leaves no orphan: the release that failed while ZooKeeper was silent happens on reconnection', async () => {
    const zk = await services.zookeeper();
    const holderSession = await backends.zookeeper(zk.connectString, 8000);
    const holder = new Lock(holderSession, '/locks', 'holder');
    const lease = await holder.acquire('r', { waitMs: 1000, ttlMs: 1000 });
    const waiter = new Lock(await backends.zookeeper(zk.connectString, 8000), '/locks', 'waiter');

    zk.pause(); // shorter than the session timeout: the session, and the lock node, survive it
    try {
      await eventually('the lease to be marked lost', () => lease.lost.aborted, 6000);
      await lease.release(); // what withLock does on a lost lease, while ZooKeeper is silent
    } finally {
      zk.resume();
    }
    await eventually('the holder to reconnect', () => holderSession.state === 'connected', 8000);
    const next = await waiter.acquire('r', { waitMs: 5000, ttlMs: 1000 });
    expect(next.resource).toBe('r');
    await next.release();
  });
});
