import { ZookeeperSession } from '@app/zookeeper';
import { RuntimeConfig } from '@app/contracts';
import { getJson, LocalCluster } from '@app/cluster';
import { ConfigNode, resolveTarget } from '@app/config-center';
import { duplicates, OrderResult, postOrders } from './support/order-load';
import { launchTestCluster, TestCluster } from './support/test-cluster';

// The config center (DESIGN §4) with real processes from dist/ (`npm run build` first): a change
// to `<ZK_ROOT>/config/order-service`, written through the `npm run config` module, switches every
// replica under load without a restart; a bad value is refused and reported; the node beats the env.

jest.setTimeout(240_000);

// The deadline for every replica to follow a change; polled every 20 ms, so the margin covers one poll and one HTTP round trip.
const SWITCH_DEADLINE_MS = 1000;
const POLL_MARGIN_MS = 100;
const ENV_STRATEGY = 'zookeeper';
const REPLICAS = ['order-1', 'order-2', 'order-3'];
let cluster: LocalCluster;
let testCluster: TestCluster | undefined;
/** Measured values, printed with the launcher's lines when the cluster stops. */
const note = (line: string): void => void testCluster?.lines.push(line);
let session: ZookeeperSession | undefined;
let node: ConfigNode;
let seed: RuntimeConfig;
let pids: (number | null)[];

interface ReplicaStatus {
  replica: string;
  strategy: string;
  configVersion: number;
  configRejected: string | null;
  pid: number;
}

async function statuses(): Promise<ReplicaStatus[]> {
  return Promise.all(cluster.state.replicas.map(async (replica) => (await getJson(`${replica.http}/status`)).body as ReplicaStatus));
}

async function healthRejections(): Promise<(string | null)[]> {
  return Promise.all(
    cluster.state.replicas.map(async (replica) => {
      const { body } = await getJson(`${replica.http}/health`);
      return (body as { info: { cluster: { configRejected: string | null } } }).info.cluster.configRejected;
    }),
  );
}

/** Polls every replica's `/status` every 20 ms (waitUntil's 100 ms is too coarse for a 1 s deadline) until `done`. */
async function untilAll(what: string, timeoutMs: number, done: (status: ReplicaStatus) => boolean): Promise<void> {
  const started = Date.now();
  for (;;) {
    const all = await statuses();
    if (all.every(done)) return;
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms: ${JSON.stringify(all)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  testCluster = await launchTestCluster('config-center', REPLICAS.length, {
    ORDER_STRATEGY: ENV_STRATEGY,
    ZK_SESSION_TIMEOUT_MS: '4000',
    LOG_LEVEL: 'warn',
  });
  cluster = testCluster.cluster;
  pids = cluster.state.replicas.map((replica) => replica.pid);
  session = await ZookeeperSession.open({ connect: cluster.state.zookeeper, sessionTimeoutMs: 4000 });
  const target = resolveTarget(cluster.state.zookeeper, { ORDER_STRATEGY: ENV_STRATEGY }, undefined);
  node = new ConfigNode(session, target.path);
  seed = target.seed;
});

afterAll(async () => {
  await session?.close();
  await testCluster?.stop();
});

describe('config center', () => {
  it('starts from the node the first replica seeded from its environment', async () => {
    const value = await node.read();
    expect(value).toMatchObject({ refusal: null });
    expect(JSON.parse((value as { data: Buffer }).data.toString())).toEqual(seed);
    expect((await statuses()).map((status) => status.strategy)).toEqual(REPLICAS.map(() => ENV_STRATEGY));
  });

  it('switches every replica under load within 1 s, without a restart; orders carry the new strategy', async () => {
    const stop = new AbortController();
    const load = postOrders(cluster.gatewayUrl, { concurrency: 8, until: stop.signal });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const writeStarted = Date.now();
    const written = await node.update({ strategy: 'redis' }, seed);
    await untilAll('every replica on redis', 10_000, (status) => status.strategy === 'redis');
    const allSwitchedAt = Date.now();
    // From the start of the write, so the ZooKeeper round trips count against the deadline too.
    const switchMs = allSwitchedAt - writeStarted;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    stop.abort();
    const results: OrderResult[] = await load;
    const after = results.filter((result) => result.startedAt > allSwitchedAt);
    const transition = results.filter((result) => result.endedAt >= writeStarted && result.startedAt <= allSwitchedAt);
    note(
      `switch to redis (node version ${written.version}): every replica within ${switchMs} ms of starting the write; ` +
        `${results.length} orders, ${transition.length} in the transition, ` +
        `duplicates ${duplicates(results).size}`,
    );
    expect(switchMs).toBeLessThanOrEqual(SWITCH_DEADLINE_MS + POLL_MARGIN_MS);
    expect(cluster.state.replicas.map((replica) => replica.pid)).toEqual(pids);
    expect((await statuses()).map((status) => status.pid)).toEqual(pids);
    expect(results.filter((result) => result.status !== 201).map((result) => result.body)).toEqual([]);
    expect(after.length).toBeGreaterThan(0);
    expect(new Set(after.map((result) => result.body.strategy))).toEqual(new Set(['redis']));
    expect(duplicates(results)).toEqual(new Map());
  });

  it.each([
    [
      'an unknown strategy',
      JSON.stringify({ strategy: 'zookeper', businessLines: [1001, 2001, 3001, 4001], lockTtlMs: 2000, lockFencing: true }),
      /strategy: must be one of: .*redis-pregen/,
    ],
    ['not JSON', '{"strategy": "redis",', /not JSON/],
  ])('refuses %s: every replica keeps the last good strategy and reports the problem', async (_label, text, problem) => {
    const written = await node.writeRaw(Buffer.from(text));
    await untilAll(`every replica refuses version ${written.version}`, 5000, (status) => status.configVersion === written.version);
    const all = await statuses();
    expect(all.map((status) => status.strategy)).toEqual(REPLICAS.map(() => 'redis'));
    for (const status of all) {
      expect(status.configRejected).toMatch(problem);
      expect(status.configRejected).toContain(`version ${written.version}`);
    }
    for (const rejection of await healthRejections()) expect(rejection).toMatch(problem);
    const results = await postOrders(cluster.gatewayUrl, { concurrency: 4, total: 60 });
    expect(results.filter((result) => result.status !== 201).map((result) => result.body)).toEqual([]);
    expect(new Set(results.map((result) => result.body.strategy))).toEqual(new Set(['redis']));
    note(`refused ${text}: ${all[0].configRejected}`);
  });

  it('clears the refusal once a valid config is written', async () => {
    const writeStarted = Date.now();
    const written = await node.update({ ...seed, strategy: 'snowflake' }, seed);
    await untilAll(
      'every replica on snowflake, nothing refused',
      10_000,
      (status) => status.strategy === 'snowflake' && status.configRejected === null,
    );
    const switchMs = Date.now() - writeStarted;
    note(`valid config version ${written.version}: every replica on snowflake, refusal cleared, within ${switchMs} ms`);
    expect(switchMs).toBeLessThanOrEqual(SWITCH_DEADLINE_MS + POLL_MARGIN_MS);
    expect(await healthRejections()).toEqual(REPLICAS.map(() => null));
    expect((await statuses()).map((status) => status.pid)).toEqual(pids);
  });

  it('a replica started after the node exists takes the node\'s strategy, not its ORDER_STRATEGY', async () => {
    const before = await node.read();
    await cluster.killReplica('order-3', 'SIGTERM');
    await cluster.startReplica('order-3');
    const restarted = (await getJson(`${cluster.state.replicas[2].http}/status`)).body as ReplicaStatus;
    expect(restarted.pid).not.toBe(pids[2]);
    expect(restarted).toMatchObject({ strategy: 'snowflake', configRejected: null, configVersion: before?.version });
    expect(ENV_STRATEGY).not.toBe('snowflake');
    // Its env seeds only a missing node: the node is unchanged.
    expect(await node.read()).toEqual(before);
    const results = await postOrders(cluster.gatewayUrl, { concurrency: 6, total: 300 });
    expect(results.filter((result) => result.status !== 201).map((result) => result.body)).toEqual([]);
    expect(new Set(results.map((result) => result.body.strategy))).toEqual(new Set(['snowflake']));
    expect(duplicates(results)).toEqual(new Map());
  });
});
