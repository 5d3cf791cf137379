import Redis from 'ioredis';
import { freePorts, replicaAnnounceArgs, RedisSentinelGroup, RedisServer } from '@app/provisioning';
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
    const promoted = await group.waitForFailover(primary, 30_000);

    expect(promoted).toBe(group.replica);
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

describe('Redis behind Sentinel with the replica lagging 2 s (ReplicationLagProxy)', () => {
  // Far longer than this test ever takes between a write and its next step, even on a busy machine:
  // "not there yet" and "lost with the primary" must not depend on how fast the test runs.
  const LAG_MS = 2000;
  let primary: RedisServer;
  let group: RedisSentinelGroup;
  const clients: Redis[] = [];
  const connectTo = async (port: number): Promise<Redis> => {
    const client = new Redis({ port, password: PASSWORD, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    clients.push(client);
    await client.connect();
    return client;
  };

  beforeAll(async () => {
    const dir = serviceDir(`sentinel-lag-${Date.now()}`);
    const [primaryPort, replicaPort, primaryFrontPort, replicaFrontPort, ...sentinelPorts] = await freePorts(7);
    const announce = replicaAnnounceArgs(primaryFrontPort);
    primary = await new RedisServer({ dataDir: `${dir}/primary`, port: primaryPort, password: PASSWORD, extraArgs: announce }).start();
    const replicationLag = { ms: LAG_MS, primaryFrontPort, replicaFrontPort };
    const options = { baseDir: dir, primary, replicaPort, sentinelPorts, masterName: MASTER_NAME, password: PASSWORD, replicationLag };
    group = new RedisSentinelGroup(options);
    await group.start();
  }, 60_000);

  afterAll(async () => {
    clients.forEach((client) => client.disconnect());
    await group?.stop();
    await primary?.stop();
  });

  it('is known to the Sentinels by its fronts, and WAIT returns once the lagging replica has the write', async () => {
    await expect(group.primaryPort()).resolves.toBe(group.frontPort(primary));
    const writer = await connectTo(group.frontPort(primary));
    const replica = await connectTo(group.replica.port);
    await writer.set('lagging', 'yes');
    await expect(replica.get('lagging')).resolves.toBeNull();
    await expect(writer.wait(1, 5000)).resolves.toBe(1);
    await expect(replica.get('lagging')).resolves.toBe('yes');
  });

  it('loses the writes still in flight to the replica when the primary dies, and follows the new primary through its front', async () => {
    const writer = await connectTo(group.frontPort(primary));
    await writer.set('acknowledged-then-lost', 'yes');
    await primary.kill();

    await expect(group.waitForFailover(primary, 30_000)).resolves.toBe(group.replica);
    const promoted = await connectTo(group.frontPort(group.replica));
    await expect(promoted.get('acknowledged-then-lost')).resolves.toBeNull();
    await expect(promoted.get('lagging')).resolves.toBe('yes');

    await group.rejoin(primary);
    await expect(roleOf(primary)).resolves.toBe('slave');
  }, 60_000);
});
