import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Redis from 'ioredis';
import { REPO_ROOT } from '@app/cluster';
import { ConfigNode } from '@app/config-center';
import { ZookeeperPaths } from '@app/contracts';
import { ZookeeperSequentialLock } from '@app/locks';
import { freePort, RedisServer } from '@app/provisioning';
import { connectRedis, createRedisClient, RedisAuthError } from '@app/redis';
import { ZookeeperAuth, ZookeeperSession } from '@app/zookeeper';
import { serviceDir } from '../support/service-dirs';

// ZooKeeper digest ACLs and Redis requirepass on the real servers: the shared ZooKeeper (under a
// root of this suite's own) and a Redis of this suite's own started with a password.

const AUTH: ZookeeperAuth = { user: 'ordernum', password: 'backend-suite-secret' };
const zkRoot = `/backend-credentials-${process.pid}-${Date.now()}`;
const PASSWORD = 'redis-suite-password';

describe('ZooKeeper digest ACLs', () => {
  let connect: string;
  let owner: ZookeeperSession;
  let stranger: ZookeeperSession;
  let impostor: ZookeeperSession;

  beforeAll(async () => {
    connect = process.env.TEST_ZK_CONNECT ?? '';
    if (!connect) throw new Error('TEST_ZK_CONNECT is not set: run through the integration project (global-setup.ts)');
    owner = await ZookeeperSession.open({ connect, sessionTimeoutMs: 4000, auth: AUTH });
    stranger = await ZookeeperSession.open({ connect, sessionTimeoutMs: 4000 });
    impostor = await ZookeeperSession.open({ connect, sessionTimeoutMs: 4000, auth: { user: AUTH.user, password: 'guessed' } });
  });

  afterAll(async () => {
    await Promise.all([owner?.close(), stranger?.close(), impostor?.close()]);
  });

  it('a client without the digest can read a held lock node but not delete it; the holder releases it', async () => {
    const sut = new ZookeeperSequentialLock(owner, `${zkRoot}/locks/sequential`, 'owner');
    const lease = await sut.acquire('1001', { waitMs: 2000, ttlMs: 2000 });
    const folder = `${zkRoot}/locks/sequential/1001`;
    const [node] = await stranger.api().getChildren(folder);
    expect(node).toMatch(/^lock-/);
    expect((await stranger.api().getData(`${folder}/${node}`)).data?.toString()).toBe('owner');
    for (const session of [stranger, impostor]) {
      await expect(session.api().remove(`${folder}/${node}`)).rejects.toMatchObject({ codeName: 'NO_AUTH' });
      await expect(session.api().remove(folder)).rejects.toMatchObject({ codeName: 'NO_AUTH' });
      await expect(session.api().create(`${folder}/lock-sneaked-in`, Buffer.alloc(0), 0)).rejects.toMatchObject({ codeName: 'NO_AUTH' });
    }
    expect(lease.lost.aborted).toBe(false);
    await lease.release();
    expect(await stranger.api().getChildren(folder)).toEqual([]);
  });

  it('the config node written by the config center is read by anyone, rewritten by the digest holder only', async () => {
    const path = new ZookeeperPaths(zkRoot).config;
    await owner.api().mkdirp(path.slice(0, path.lastIndexOf('/')));
    await owner.api().create(path, Buffer.from(JSON.stringify({ strategy: 'redis', businessLines: [1001], lockTtlMs: 500, lockFencing: true })), 0);
    expect(JSON.parse((await stranger.api().getData(path)).data?.toString() ?? '')).toMatchObject({ strategy: 'redis' });
    await expect(new ConfigNode(stranger, path).update({ strategy: 'none' })).rejects.toThrow(/NO_AUTH/);
    await expect(new ConfigNode(impostor, path).update({ strategy: 'none' })).rejects.toThrow(/NO_AUTH/);
    expect((await new ConfigNode(owner, path).update({ strategy: 'zookeeper' })).config.strategy).toBe('zookeeper');
  });
});

describe('Redis requirepass', () => {
  let redis: RedisServer;
  let url: string;

  beforeAll(async () => {
    redis = await new RedisServer({ dataDir: serviceDir(`redis-password-${Date.now()}`), port: await freePort(), password: PASSWORD }).start();
    url = redis.url;
  });

  afterAll(async () => {
    await redis?.stop();
  });

  it('puts the password in the URL, and the server answers PING only after AUTH', async () => {
    expect(url).toBe(`redis://:${PASSWORD}@127.0.0.1:${redis.port}`);
    expect(await redis.ping()).toBe('PONG');
  });

  it.each([
    ['no password', (port: number) => `redis://127.0.0.1:${port}`, /NOAUTH.*needs a password/],
    ['a wrong password', (port: number) => `redis://:wrong@127.0.0.1:${port}`, /WRONGPASS.*the password is wrong/],
  ])('refuses a client with %s, clearly and at once', async (_name, urlFor, reason) => {
    const client = createRedisClient({ url: urlFor(redis.port), commandTimeoutMs: 2000 });
    client.on('error', () => undefined); // the refusal is asserted from connectRedis
    const refusal = connectRedis(client, urlFor(redis.port));
    await expect(refusal).rejects.toBeInstanceOf(RedisAuthError);
    await expect(refusal).rejects.toThrow(reason);
    await expect(refusal).rejects.toThrow(/^REDIS_URL=redis:\/\//);
  });

  it('serves a client with the password', async () => {
    const client = createRedisClient({ url, commandTimeoutMs: 2000 });
    try {
      await connectRedis(client, url);
      expect(await client.set('k', 'v')).toBe('OK');
    } finally {
      client.disconnect();
    }
  });

  it('an unauthenticated ioredis client gets NOAUTH for every command', async () => {
    const client = new Redis({ port: redis.port, host: '127.0.0.1', lazyConnect: true, enableReadyCheck: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined); // asserted through the command's rejection
    try {
      await client.connect();
      await expect(client.get('k')).rejects.toThrow(/NOAUTH/);
    } finally {
      client.disconnect();
    }
  });

  it('a replica given a wrong password exits with a message naming REDIS_URL, and the password masked', async () => {
    const wrong = `redis://:not-${PASSWORD}@127.0.0.1:${redis.port}`;
    const child = spawn(process.execPath, [join(REPO_ROOT, 'scripts', 'run-app.js'), 'order-service'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, ZK_CONNECT: process.env.TEST_ZK_CONNECT, ZK_ROOT: zkRoot, REDIS_URL: wrong, HTTP_PORT: String(await freePort()), TCP_PORT: String(await freePort()), ZK_AUTH: `${AUTH.user}:${AUTH.password}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(output).toMatch(/REDIS_URL=redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: Redis refused the credentials \(WRONGPASS/);
    expect(output).not.toContain(`not-${PASSWORD}`);
  });
});
