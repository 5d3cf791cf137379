import { LocalCluster } from '@app/cluster';
import { ZookeeperEnsemble } from '@app/provisioning';
import { duplicates, OrderResult, postOrders } from './support/order-load';
import { launchTestCluster, TestCluster } from './support/test-cluster';

// DESIGN §7 (a ZooKeeper server dies). The cluster runs on a 3-node ZooKeeper ensemble
// with the ZooKeeper lock; the ensemble's leader is killed under load.

let testCluster: TestCluster | undefined;
let cluster: LocalCluster;
const note = (line: string): void => void testCluster?.lines.push(line);

beforeAll(async () => {
  testCluster = await launchTestCluster(
    'zk-failover',
    3,
    { ORDER_STRATEGY: 'zookeeper', ZK_SESSION_TIMEOUT_MS: '6000', LOG_LEVEL: 'warn' },
    { ensemble: true },
  );
  cluster = testCluster.cluster;
});

afterAll(async () => {
  await testCluster?.stop();
});

describe('the ZooKeeper leader dies under load', () => {
  it('keeps issuing unique numbers: only clean 503s while the ensemble elects, then 201s again', async () => {
    const ensemble = cluster.zookeeper as ZookeeperEnsemble;
    const stopLoad = new AbortController();
    const load = postOrders(cluster.gatewayUrl, { concurrency: 16, until: stopLoad.signal, requestTimeoutMs: 20000 });

    await new Promise((resolve) => setTimeout(resolve, 1500));
    const leader = await ensemble.leader();
    expect(leader).toBeDefined();
    const killedAt = Date.now();
    await leader!.kill();
    const next = await ensemble.waitForLeader(15000, leader);
    note(`ZooKeeper leader ${leader!.name} killed; ${next.name} leads after ${Date.now() - killedAt} ms`);

    // Long enough for every replica's client to move to a live server and carry on.
    await new Promise((resolve) => setTimeout(resolve, 8000));
    const recoveredFrom = Date.now() - 2000;
    stopLoad.abort();
    const results: OrderResult[] = await load;

    const byStatus = results.reduce<Record<number, number>>(
      (counts, result) => ({ ...counts, [result.status]: (counts[result.status] ?? 0) + 1 }),
      {},
    );
    note(`orders under the failover: ${JSON.stringify(byStatus)}`);
    const timeline = new Map<string, number>();
    for (const result of results) {
      const key = `${Math.floor((result.startedAt - killedAt) / 1000)}s ${result.status} ${Math.round((result.endedAt - result.startedAt) / 500) / 2}s`;
      timeline.set(key, (timeline.get(key) ?? 0) + 1);
    }
    note(`seconds after the kill / status / duration: ${[...timeline].map(([key, count]) => `${key}×${count}`).join(', ')}`);
    expect(Object.keys(byStatus).filter((status) => status !== '201' && status !== '503')).toEqual([]);
    expect(duplicates(results).size).toBe(0);
    const lastTwoSeconds = results.filter((result) => result.startedAt >= recoveredFrom);
    expect(lastTwoSeconds.length).toBeGreaterThan(0);
    expect(lastTwoSeconds.every((result) => result.status === 201)).toBe(true);
  });
});
