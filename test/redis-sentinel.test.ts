import Redis from 'ioredis';
import { freePorts, RedisSentinelGroup, RedisServer } from '@app/provisioning';
import { createRedisClient } from '@app/redis';
import { serviceDir } from './support/service-dirs';

const PASSWORD = 'sentinel-test-password';
const MASTER_NAME = 'ordernum';

/** Runs `command` until it succeeds: the client fails fast (no offline queue) while it looks for the primary. */
async function eventually<T>(what: string, command: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await command();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${what}: still failing after ${timeoutMs} ms: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** `role:master` or `role:slave`, from INFO replication on the node itself. */
async function roleOf(server: RedisServer): Promise<string> {
  const options = { port: server.port, password: PASSWORD, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null };
  const client = new Redis(options);
  try {
    await client.connect();
    return /role:(\w+)/.exec(await client.info('replication'))?.[1] ?? 'unknown';
  } finally {
    client.disconnect();
  }
}

describe('Redis behind Sentinel (primary, replica, three Sentinels)', () => {
  let primary: RedisServer;
  let group: RedisSentinelGroup;
  let client: Redis | undefined;

  beforeAll(async () => {
    const dir = serviceDir(`sentinel-${Date.now()}`);
    const [primaryPort, replicaPort, ...sentinelPorts] = await freePorts(5);
    primary = await new RedisServer({ dataDir: `${dir}/primary`, port: primaryPort, password: PASSWORD }).start();
    group = new RedisSentinelGroup({ baseDir: dir, primary, replicaPort, sentinelPorts, masterName: MASTER_NAME, password: PASSWORD });
    await group.start();
  }, 60_000);

  afterAll(async () => {
    client?.disconnect();
    await group?.stop();
    await primary?.stop();
  });

  it('starts a replica of the primary that the three Sentinels agree on', async () => {
    await expect(group.primaryPort()).resolves.toBe(primary.port);
    await expect(roleOf(group.replica)).resolves.toBe('slave');
    expect(group.addresses.split(',')).toHaveLength(3);
  });

  it('fails over to the replica when the primary is killed, and the client configured by Sentinels follows', async () => {
    client = createRedisClient({
      url: `redis://:${PASSWORD}@127.0.0.1:1`, // the address is the Sentinels' to give; port 1 would refuse
      sentinels: group.sentinels.map((sentinel) => ({ host: '127.0.0.1', port: sentinel.port })),
      masterName: MASTER_NAME,
      commandTimeoutMs: 1000,
    });
    client.on('error', () => undefined); // reconnection noise while the primary is gone
    await client.connect();
    await client.set('before', 'failover');
    await client.wait(1, 1000); // on the replica before the kill: this test is about following, not losing writes

    await primary.kill();
    const promoted = await group.waitForFailover(primary.port, 30_000);

    expect(promoted).toBe(group.replica.port);
    await expect(roleOf(group.replica)).resolves.toBe('master');
    await eventually('a write through the client', () => client!.set('after', 'failover'));
    await expect(client.get('before')).resolves.toBe('failover');
    await expect(client.call('CONFIG', 'GET', 'port')).resolves.toEqual(['port', String(group.replica.port)]);
  }, 60_000);

  it('takes the old primary back as a replica once it restarts, ready for the next failover', async () => {
    await group.rejoin(primary);

    await expect(roleOf(primary)).resolves.toBe('slave');
    await expect((await group.primary()).port).toBe(group.replica.port);
  }, 60_000);
});
