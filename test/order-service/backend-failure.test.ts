import { eventually } from '../support/backends';
import { usePrivateServices } from '../support/services';
import { Answer, call, postOrder } from '../support/http';
import { isolatedEnv, Replica, useReplicas } from './support/replicas';

// DESIGN §7: with a server down or frozen, requests get 503 with a reason, nothing hangs, and
// orders flow again once the server is back. Servers here are private: these tests stop them.

jest.setTimeout(120_000);

const replicas = useReplicas(); // declared first: its afterAll closes the apps before the servers stop
const services = usePrivateServices();

/** Each request must finish well within this; hitting it fails the test as a hang. */
const CLIENT_TIMEOUT_MS = 10_000;
const FAST_FAILURE = { REQUEST_TIMEOUT_MS: '2000', LOCK_WAIT_MS: '2000' };

const order = (replica: Replica): Promise<Answer> => postOrder(replica.url, 1001, CLIENT_TIMEOUT_MS);
const health = (replica: Replica): Promise<Answer> => call(replica.url, 'GET', '/health', { timeoutMs: CLIENT_TIMEOUT_MS });

function expectUnavailable(answer: Answer, naming: RegExp): void {
  expect({ status: answer.status, body: answer.json }).toEqual({
    status: 503,
    body: expect.objectContaining({ statusCode: 503, error: 'Service Unavailable', message: expect.stringMatching(naming) }),
  });
}

/** Polls until the replica issues again, under the strategy it was started with. */
async function ordersFlowAgain(replica: Replica, timeoutMs = 30_000): Promise<void> {
  let last: Answer | undefined;
  try {
    await eventually(`${replica.id} to issue again`, async () => (last = await order(replica)).status === 201, timeoutMs, 200);
  } catch (error) {
    const status = await call(replica.url, 'GET', '/health', { timeoutMs: CLIENT_TIMEOUT_MS });
    throw new Error(`${(error as Error).message}; last answer ${last?.status} ${last?.text}; /health ${status.status} ${status.text}`);
  }
  expect(last?.json).toMatchObject({ strategy: replica.config.ORDER_STRATEGY });
}

describe('Redis down', () => {
  let lockedByRedis: Replica;
  let lockedByZookeeper: Replica;
  let redis: Awaited<ReturnType<typeof services.redis>>;

  beforeAll(async () => {
    redis = await services.redis();
    // Separate roots: on a shared one the config center's node (seeded by the first) would win.
    const env = (label: string) => ({ ...isolatedEnv(label), REDIS_URL: redis.url, ...FAST_FAILURE });
    lockedByRedis = await replicas.start({ ...env('redis-down-redis'), ORDER_STRATEGY: 'redis', REPLICA_ID: 'redis-locked' });
    lockedByZookeeper = await replicas.start({ ...env('redis-down-zk'), ORDER_STRATEGY: 'zookeeper', REPLICA_ID: 'zk-locked' });
  });

  it('stopped: lock strategies answer 503 naming Redis, /health 503; after a restart on the same port, orders flow again', async () => {
    for (const replica of [lockedByRedis, lockedByZookeeper]) await ordersFlowAgain(replica, 0);

    await redis.kill();

    for (const replica of [lockedByRedis, lockedByZookeeper]) {
      expectUnavailable(await order(replica), /Redis/);
      const down = await health(replica);
      expect(down.status).toBe(503);
      expect(down.json).toMatchObject({ error: { redis: { status: 'down' } } });
    }

    await redis.start(); // same port, empty data: the clients must reconnect by themselves
    for (const replica of [lockedByRedis, lockedByZookeeper]) {
      await ordersFlowAgain(replica);
      expect((await health(replica)).status).toBe(200);
    }
  });

  it('frozen (accepts connections, never answers): 503 naming Redis within the deadline, then orders flow after resume', async () => {
    redis.pause();
    try {
      for (const replica of [lockedByRedis, lockedByZookeeper]) expectUnavailable(await order(replica), /Redis/);
      expect((await health(lockedByRedis)).status).toBe(503);
    } finally {
      redis.resume();
    }
    for (const replica of [lockedByRedis, lockedByZookeeper]) await ordersFlowAgain(replica);
  });
});

describe('ZooKeeper down', () => {
  let lockedByZookeeper: Replica;
  let snowflake: Replica;
  let zk: Awaited<ReturnType<typeof services.zookeeper>>;

  beforeAll(async () => {
    zk = await services.zookeeper();
    const env = (label: string) => ({
      ...isolatedEnv(label),
      ZK_CONNECT: zk.connectString,
      ZK_SESSION_TIMEOUT_MS: '2000',
      ...FAST_FAILURE,
    });
    lockedByZookeeper = await replicas.start({ ...env('zk-down-zk'), ORDER_STRATEGY: 'zookeeper', REPLICA_ID: 'zk-locked' });
    snowflake = await replicas.start({ ...env('zk-down-snowflake'), ORDER_STRATEGY: 'snowflake', REPLICA_ID: 'snowflake' });
  });

  beforeEach(async () => {
    // Both issue before the fault: the lock path is warm and snowflake holds a worker lease.
    for (const replica of [lockedByZookeeper, snowflake]) await ordersFlowAgain(replica);
  });

  it('frozen: zookeeper answers 503 naming ZooKeeper, snowflake stops issuing once suspended, /health 503; orders flow after resume', async () => {
    zk.pause();
    try {
      expectUnavailable(await order(lockedByZookeeper), /ZooKeeper/);
      await eventually('snowflake to refuse', async () => (await order(snowflake)).status === 503, 10_000, 100);
      for (let i = 0; i < 5; i += 1) expectUnavailable(await order(snowflake), /ZooKeeper/);
      for (const replica of [lockedByZookeeper, snowflake]) {
        const down = await health(replica);
        expect(down.status).toBe(503);
        expect(down.json).toMatchObject({ error: { zookeeper: { status: 'down' } } });
      }
    } finally {
      zk.resume();
    }
    for (const replica of [lockedByZookeeper, snowflake]) await ordersFlowAgain(replica);
    for (const replica of [lockedByZookeeper, snowflake]) expect((await health(replica)).status).toBe(200);
  });

  it('stopped: both answer 503 naming ZooKeeper, not 500 and no hang; orders flow after a restart', async () => {
    await zk.stop();
    try {
      await eventually('snowflake to refuse', async () => (await order(snowflake)).status === 503, 10_000, 100);
      for (const replica of [lockedByZookeeper, snowflake]) {
        expectUnavailable(await order(replica), /ZooKeeper/);
        expect((await health(replica)).status).toBe(503);
      }
    } finally {
      await zk.start();
    }
    for (const replica of [lockedByZookeeper, snowflake]) await ordersFlowAgain(replica);
  });
});

describe('MariaDB down', () => {
  let lockedByDatabase: Replica;
  let segments: Replica;
  let mariadb: Awaited<ReturnType<typeof services.mariadb>>;

  beforeAll(async () => {
    mariadb = await services.mariadb();
    const env = (label: string) => ({ ...isolatedEnv(label), DATABASE_URL: mariadb.url, ...FAST_FAILURE });
    lockedByDatabase = await replicas.start({ ...env('db-down-lock'), ORDER_STRATEGY: 'db-lock', REPLICA_ID: 'db-locked' });
    segments = await replicas.start({ ...env('db-down-segment'), ORDER_STRATEGY: 'db-segment', REPLICA_ID: 'db-segment' });
  });

  beforeEach(async () => {
    for (const replica of [lockedByDatabase, segments]) await ordersFlowAgain(replica);
  });

  /** db-segment serves what its buffers hold; the first order past them is the answer that counts. */
  async function pastTheBuffers(replica: Replica): Promise<Answer> {
    let answer = await order(replica);
    for (let i = 0; i < 1000 && answer.status === 201; i += 1) answer = await order(replica);
    return answer;
  }

  it.each([
    ['frozen (accepts connections, never answers)', () => mariadb.pause(), () => Promise.resolve(mariadb.resume())],
    ['stopped', () => mariadb.kill(), () => mariadb.start()],
  ])('%s: 503 naming MariaDB within the deadline, /health 503; orders flow again once it is back', async (_how, fail, restore) => {
    await fail();
    try {
      expectUnavailable(await order(lockedByDatabase), /MariaDB/);
      expectUnavailable(await pastTheBuffers(segments), /MariaDB/);
      for (const replica of [lockedByDatabase, segments]) {
        const down = await health(replica);
        expect(down.status).toBe(503);
        expect(down.json).toMatchObject({ error: { database: { status: 'down' } } });
      }
    } finally {
      await restore();
    }
    for (const replica of [lockedByDatabase, segments]) await ordersFlowAgain(replica);
    for (const replica of [lockedByDatabase, segments]) expect((await health(replica)).status).toBe(200);
  });
});
