import { getJson, LocalCluster, waitUntil } from '@app/cluster';
import { OrderResult, postOrders, servedBy } from './support/order-load';
import { launchTestCluster, TestCluster } from './support/test-cluster';
import { countDuplicates } from '@app/order-numbers';
import { issuedNumbers } from '../support/http';

// The whole cluster as processes (DESIGN §5), from the compiled dist/ (`npm run build` first):
// ZooKeeper, Redis, 3 real order-service replicas and the gateway, on free ports.

jest.setTimeout(240_000);

const SESSION_TIMEOUT_MS = 4000;
const REPLICAS = ['order-1', 'order-2', 'order-3'];
let cluster: LocalCluster;
let testCluster: TestCluster | undefined;
/** Measured values, printed with the launcher's lines when the cluster stops. */
const note = (line: string): void => void testCluster?.lines.push(line);
const everyOrder: OrderResult[] = [];

async function registeredIds(): Promise<string[]> {
  const { body } = await getJson(`${cluster.gatewayUrl}/replicas`);
  return ((body as { replicas: { id: string }[] }).replicas ?? []).map((replica) => replica.id);
}

function expectOnlyClean503s(results: readonly OrderResult[]): void {
  const unexpected = results.filter((result) => result.status !== 201 && result.status !== 503);
  expect(unexpected.map((result) => ({ status: result.status, body: result.body }))).toEqual([]);
  for (const result of results.filter((r) => r.status === 503)) {
    expect(result.body).toMatchObject({ statusCode: 503, message: expect.any(String) });
  }
}

beforeAll(async () => {
  testCluster = await launchTestCluster('cluster', REPLICAS.length, {
    ORDER_STRATEGY: 'zookeeper',
    ZK_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS),
    LB_POLICY: 'round-robin',
    LOG_LEVEL: 'warn',
  });
  cluster = testCluster.cluster;
});

afterAll(async () => {
  await testCluster?.stop();
});

describe('local cluster', () => {
  it('describes itself in the state file format', () => {
    expect(cluster.state).toEqual({
      gateway: cluster.gatewayUrl,
      replicas: REPLICAS.map((id) => ({
        id,
        http: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        tcp: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
        pid: expect.any(Number),
      })),
      zookeeper: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      redis: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      database: expect.stringMatching(/^mysql:\/\/[^@]+@127\.0\.0\.1:\d+\/ordernum$/),
      gatewayPid: expect.any(Number),
      servers: [
        { role: 'zookeeper', name: expect.stringContaining('ZooKeeper'), pid: expect.any(Number) },
        { role: 'redis', name: expect.stringContaining('Redis'), pid: cluster.redis.pid },
        { role: 'mariadb', name: expect.stringContaining('MariaDB'), pid: cluster.mariadb.pid },
      ],
    });
  });

  it('serves 3,000 concurrent orders through the gateway, spread evenly, without a duplicate', async () => {
    const started = Date.now();
    const results = await postOrders(cluster.gatewayUrl, { concurrency: 32, total: 3000 });
    const elapsed = Date.now() - started;
    everyOrder.push(...results);
    note(`3000 orders in ${elapsed} ms (${Math.round(3000_000 / elapsed)}/s), served by ${JSON.stringify(servedBy(results))}`);
    expect(results.filter((result) => result.status !== 201).map((result) => result.body)).toEqual([]);
    expect(countDuplicates(issuedNumbers(results)).examples).toEqual([]);
    const shares = servedBy(results);
    for (const id of REPLICAS) expect(Math.abs(shares[id] / 3000 - 1 / 3)).toBeLessThan(0.02);
  });

  it('drops a SIGKILLed replica within the session timeout; only clean 503s meanwhile, no duplicate', async () => {
    const stop = new AbortController();
    const load = postOrders(cluster.gatewayUrl, { concurrency: 16, until: stop.signal });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const killedAt = Date.now();
    await cluster.killReplica('order-2', 'SIGKILL');
    await waitUntil('gateway drops order-2', SESSION_TIMEOUT_MS + 3000, async () => !(await registeredIds()).includes('order-2'));
    const droppedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    stop.abort();
    const results = await load;
    everyOrder.push(...results);
    const failures = results.filter((result) => result.status !== 201);
    note(
      `kill: order-2 left the registry ${droppedAt - killedAt} ms after SIGKILL; ${results.length} orders during the run, ` +
        `${failures.length} not 201: ${JSON.stringify([...new Set(failures.map((f) => f.body.message))])}`,
    );
    expect(droppedAt - killedAt).toBeLessThanOrEqual(SESSION_TIMEOUT_MS + 2000);
    expectOnlyClean503s(results);
    // Once the registry has dropped it, the gateway never picks it again.
    const afterDrop = results.filter((result) => result.startedAt > droppedAt + 100);
    expect(afterDrop.length).toBeGreaterThan(0);
    expect(afterDrop.filter((result) => result.status !== 201).map((result) => result.body)).toEqual([]);
    expect(afterDrop.some((result) => result.body.servedBy === 'order-2')).toBe(false);
    expect(countDuplicates(issuedNumbers(everyOrder)).examples).toEqual([]);
  });

  it('takes a restarted replica back into the rotation', async () => {
    await cluster.startReplica('order-2');
    expect(await registeredIds()).toEqual(REPLICAS);
    const results = await postOrders(cluster.gatewayUrl, { concurrency: 12, total: 600 });
    everyOrder.push(...results);
    expect(results.filter((result) => result.status !== 201).map((result) => result.body)).toEqual([]);
    expect(servedBy(results)).toEqual({ 'order-1': 200, 'order-2': 200, 'order-3': 200 });
    expect(countDuplicates(issuedNumbers(everyOrder)).examples).toEqual([]);
    note(`after restart: ${JSON.stringify(servedBy(results))}; ${everyOrder.length} orders in all, no duplicate`);
  });
});
