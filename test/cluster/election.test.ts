import Redis from 'ioredis';
import { ZookeeperSession } from '@app/zookeeper';
import { getJson, LocalCluster, waitUntil } from '@app/cluster';
import { ConfigNode, resolveTarget } from '@app/config-center';
import { RuntimeConfig } from '@app/contracts';
import { duplicates, OrderResult, postOrders } from './support/order-load';
import { launchTestCluster, TestCluster } from './support/test-cluster';

// Master election (DESIGN §4) with real processes from dist/ (`npm run build` first): one master,
// everyone agrees who it is; under redis-pregen it fills the pools; SIGKILL it and another replica
// takes over within the session timeout and keeps the pools from running dry.

jest.setTimeout(300_000);

const SESSION_TIMEOUT_MS = 3000;
// Expiry is checked once per server tick (500 ms), then the successor's watch fires and it re-reads the queue.
const TAKEOVER_MARGIN_MS = 2000;
const POOL_SIZE = 1000;
const POOL_LOW_WATER = 500;
const REPLICAS = ['order-1', 'order-2', 'order-3'];
const LINES = [1001, 2001, 3001, 4001];
let cluster: LocalCluster;
let testCluster: TestCluster | undefined;
/** Measured values, printed with the launcher's lines when the cluster stops. */
const note = (line: string): void => void testCluster?.lines.push(line);
let session: ZookeeperSession | undefined;
let redis: Redis | undefined;
let node: ConfigNode;
let seed: RuntimeConfig;
const everyOrder: OrderResult[] = [];

interface ReplicaStatus {
  replica: string;
  strategy: string;
  master: boolean;
  masterId: string | null;
  pid: number;
}

function live(): { id: string; http: string }[] {
  return cluster.state.replicas.filter((replica) => replica.pid !== null);
}

async function statuses(): Promise<ReplicaStatus[]> {
  return Promise.all(live().map(async (replica) => (await getJson(`${replica.http}/status`)).body as ReplicaStatus));
}

/** The one replica every live replica names as master, provided exactly that one says it is master. */
async function agreedMaster(): Promise<string | null> {
  const all = await statuses();
  const masters = all.filter((status) => status.master);
  if (masters.length !== 1) return null;
  return all.every((status) => status.masterId === masters[0].replica) ? masters[0].replica : null;
}

const poolLength = (businessId: number): Promise<number> => (redis as Redis).llen(`ordernum:pool:${businessId}`);

/** LLEN of pool:1001 every 50 ms until stopped: the pools' view of a takeover. */
function samplePool(stop: AbortSignal): Promise<{ at: number; length: number }[]> {
  return (async () => {
    const samples: { at: number; length: number }[] = [];
    while (!stop.aborted) {
      samples.push({ at: Date.now(), length: await poolLength(1001) });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return samples;
  })();
}

function longestEmptyMs(samples: readonly { at: number; length: number }[]): number {
  let longest = 0;
  let emptySince: number | undefined;
  for (const sample of samples) {
    if (sample.length === 0) emptySince ??= sample.at;
    else if (emptySince !== undefined) {
      longest = Math.max(longest, sample.at - emptySince);
      emptySince = undefined;
    }
  }
  return emptySince === undefined ? longest : Math.max(longest, samples[samples.length - 1].at - emptySince);
}

beforeAll(async () => {
  testCluster = await launchTestCluster('election', REPLICAS.length, {
      ORDER_STRATEGY: 'zookeeper',
      ZK_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS),
      // Small pools, so that a few thousand orders take them below the low-water mark.
      POOL_SIZE: String(POOL_SIZE),
      POOL_LOW_WATER: String(POOL_LOW_WATER),
      LOG_LEVEL: 'warn',
    });
  cluster = testCluster.cluster;
  const [host, port] = cluster.state.redis.split(':');
  redis = new Redis({ host, port: Number(port), lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  session = await ZookeeperSession.open({ connect: cluster.state.zookeeper, sessionTimeoutMs: 4000 });
  const target = resolveTarget(cluster.state.zookeeper, {}, undefined);
  node = new ConfigNode(session, target.path);
  seed = target.seed;
});

afterAll(async () => {
  redis?.disconnect();
  await session?.close();
  await testCluster?.stop();
});

describe('master election', () => {
  let master: string;

  it('has exactly one master, and every replica names the same one', async () => {
    await waitUntil('one agreed master', 10_000, async () => (await agreedMaster()) !== null);
    master = (await agreedMaster()) as string;
    const { body } = await getJson(`${cluster.gatewayUrl}/health`);
    expect(body).toMatchObject({ master: { id: master } });
    for (const replica of live()) {
      expect((await getJson(`${replica.http}/health`)).body).toMatchObject({ info: { cluster: { masterId: master } } });
    }
    note(`master at start: ${master}`);
  });

  it('fills the redis-pregen pools once the config center switches to it', async () => {
    await node.update({ strategy: 'redis-pregen' }, seed);
    await waitUntil('every replica on redis-pregen', 5000, async () =>
      (await statuses()).every((status) => status.strategy === 'redis-pregen'),
    );
    await waitUntil('every pool above 0', 10_000, async () => (await Promise.all(LINES.map(poolLength))).every((length) => length > 0));
    const results = await postOrders(cluster.gatewayUrl, { concurrency: 8, total: 400 });
    everyOrder.push(...results);
    expect(results.filter((result) => result.status !== 201).map((result) => result.body)).toEqual([]);
    expect(new Set(results.map((result) => result.body.strategy))).toEqual(new Set(['redis-pregen']));
    note(`pools after the switch: ${JSON.stringify(await Promise.all(LINES.map(poolLength)))}`);
  });

  it('moves to another replica within the session timeout when the master is SIGKILLed; orders keep succeeding', async () => {
    const stopLoad = new AbortController();
    const stopSampling = new AbortController();
    const load = postOrders(cluster.gatewayUrl, { concurrency: 8, until: stopLoad.signal });
    const sampling = samplePool(stopSampling.signal);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const killedAt = Date.now();
    await cluster.killReplica(master, 'SIGKILL');
    let successor = '';
    await waitUntil('a new agreed master', SESSION_TIMEOUT_MS + TAKEOVER_MARGIN_MS + 5000, async () => {
      successor = (await agreedMaster()) ?? '';
      return successor !== '';
    });
    const takeoverMs = Date.now() - killedAt;
    await waitUntil('the gateway drops the old master and names the new one', SESSION_TIMEOUT_MS + 5000, async () => {
      const { body } = await getJson(`${cluster.gatewayUrl}/health`);
      const health = body as { replicas: number; master: { id: string } | null };
      return health.replicas === REPLICAS.length - 1 && health.master?.id === successor;
    });
    const settledAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    stopLoad.abort();
    const results = await load;
    stopSampling.abort();
    const samples = await sampling;
    everyOrder.push(...results);
    const emptyMs = longestEmptyMs(samples);
    const failures = results.filter((result) => result.status !== 201);
    note(
      `takeover: ${master} -> ${successor} ${takeoverMs} ms after SIGKILL (session timeout ${SESSION_TIMEOUT_MS} ms); ` +
        `pool:1001 longest empty ${emptyMs} ms; ${results.length} orders, ${failures.length} not 201: ${JSON.stringify([...new Set(failures.map((f) => f.body.message))])}`,
    );
    expect(successor).not.toBe(master);
    expect(takeoverMs).toBeLessThanOrEqual(SESSION_TIMEOUT_MS + TAKEOVER_MARGIN_MS);
    expect(emptyMs).toBeLessThanOrEqual(SESSION_TIMEOUT_MS);
    // While the killed replica is still registered, a call it had taken may end in a clean 503; nothing else fails.
    expect(failures.filter((f) => f.status !== 503 || f.startedAt > settledAt).map((f) => ({ status: f.status, body: f.body }))).toEqual(
      [],
    );
    const afterTakeover = results.filter((result) => result.startedAt > settledAt);
    expect(afterTakeover.length).toBeGreaterThan(0);
    expect(new Set(afterTakeover.map((result) => result.body.strategy))).toEqual(new Set(['redis-pregen']));
    for (const replica of live()) {
      expect((await getJson(`${replica.http}/health`)).body).toMatchObject({ info: { cluster: { masterId: successor } } });
    }
    master = successor;
    expect(duplicates(everyOrder)).toEqual(new Map());
  });

  it('the new master refills the pools as orders drain them', async () => {
    const stopSampling = new AbortController();
    const sampling = samplePool(stopSampling.signal);
    const results = await postOrders(cluster.gatewayUrl, { concurrency: 16, total: 4 * POOL_SIZE });
    everyOrder.push(...results);
    await waitUntil('pool:1001 back above its low-water mark', 10_000, async () => (await poolLength(1001)) >= POOL_LOW_WATER);
    stopSampling.abort();
    const samples = await sampling;
    // Only the master pushes, and the old one is dead: any rise between two samples is the new master's refill.
    const rises = samples.filter((sample, i) => i > 0 && sample.length > samples[i - 1].length).length;
    note(
      `drain: ${results.length} orders; pool:1001 from ${samples[0].length} down to ${Math.min(...samples.map((s) => s.length))}, ` +
        `rose ${rises} times, now ${await poolLength(1001)}`,
    );
    expect(results.filter((result) => result.status !== 201).map((result) => result.body)).toEqual([]);
    expect(rises).toBeGreaterThan(0);
    expect(duplicates(everyOrder)).toEqual(new Map());
  });

  it('takes the restarted old master back as a follower', async () => {
    const old = REPLICAS.find((id) => !live().some((replica) => replica.id === id)) as string;
    await cluster.startReplica(old);
    await waitUntil('all three agree on the current master', 10_000, async () => (await agreedMaster()) === master);
    const results = await postOrders(cluster.gatewayUrl, { concurrency: 8, total: 300 });
    everyOrder.push(...results);
    expect(results.filter((result) => result.status !== 201).map((result) => result.body)).toEqual([]);
    expect(duplicates(everyOrder)).toEqual(new Map());
    note(`${old} back as a follower of ${master}; ${everyOrder.length} orders in all, no duplicate`);
  });
});
