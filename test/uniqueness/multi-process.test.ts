import { STRATEGY_NAMES, StrategyName, UNIQUE_STRATEGIES, ZookeeperPaths } from '@app/contracts';
import { ZookeeperSession } from '@app/zookeeper';
import { eventually, uniqueName, useBackends } from '../support/backends';
import { countDuplicates } from '@app/order-numbers';
import { OrderAnswer, postOrder } from '../support/http';
import { ReplicaProcess, useReplicaProcesses } from '../support/replica-processes';

const ORDERS = 5000;
const CONCURRENCY = 60;
const BUSINESS_IDS = [1001, 2001];

const backends = useBackends();
const startReplica = useReplicaProcesses();

/** Writes the config center's node; every replica follows it without a restart. */
async function switchTo(session: ZookeeperSession, root: string, replicas: ReplicaProcess[], strategy: StrategyName): Promise<void> {
  const path = new ZookeeperPaths(root).config;
  const { data } = await session.api().getData(path);
  const config = { ...(JSON.parse(String(data)) as Record<string, unknown>), strategy };
  await session.api().setData(path, Buffer.from(JSON.stringify(config)));
  await eventually(`every replica to run ${strategy}`, async () => {
    const statuses = await Promise.all(
      replicas.map(async (replica) => (await (await fetch(`${replica.url}/status`)).json()) as { strategy: string }),
    );
    return statuses.every((status) => status.strategy === strategy);
  });
}

/** `ORDERS` requests, `CONCURRENCY` in flight, spread round the replicas and the business IDs. */
async function load(replicas: ReplicaProcess[]): Promise<OrderAnswer[]> {
  const results: OrderAnswer[] = [];
  let sent = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, worker) => {
      while (sent < ORDERS) {
        const n = sent++;
        results.push(await postOrder(replicas[worker % replicas.length].url, BUSINESS_IDS[n % BUSINESS_IDS.length], 20_000));
      }
    }),
  );
  return results;
}

describe('three order-service processes on one ZooKeeper, one Redis and one MariaDB', () => {
  let replicas: ReplicaProcess[];
  let session: ZookeeperSession;
  const root = `/${uniqueName('multi')}`;
  const results = new Map<StrategyName, OrderAnswer[]>();

  beforeAll(async () => {
    const env = { ZK_ROOT: root, REDIS_PREFIX: `${root.slice(1)}:`, ORDER_STRATEGY: 'none', BUSINESS_LINES: BUSINESS_IDS.join(',') };
    replicas = await Promise.all(['p1', 'p2', 'p3'].map((id) => startReplica(id, env)));
    session = await backends.zookeeper();
  });

  // One hook per strategy: each load is its own step (the herd of zookeeper-ephemeral alone takes
  // about 40 s here), rather than seven loads sharing one hook's budget.
  describe.each(STRATEGY_NAMES)('%s', (strategy) => {
    beforeAll(async () => {
      await switchTo(session, root, replicas, strategy);
      results.set(strategy, await load(replicas));
    });

    it('answers every one of the orders 201, by its strategy, spread over all three processes', () => {
      const answers = results.get(strategy)!;
      expect(answers).toHaveLength(ORDERS);
      expect(answers.filter((answer) => answer.status !== 201)).toEqual([]);
      expect(new Set(answers.map((answer) => answer.body.strategy))).toEqual(new Set([strategy]));
      expect(new Set(answers.map((answer) => answer.body.replica))).toEqual(new Set(['p1', 'p2', 'p3']));
    });
  });

  it('none: duplicates, with no lock at all', () => {
    expect(countDuplicates(results.get('none')!.map((answer) => answer.body.orderNumber!)).duplicates).toBeGreaterThan(0);
  });

  it('local: no duplicate inside one process, duplicates across processes', () => {
    const answers = results.get('local')!;
    for (const id of ['p1', 'p2', 'p3']) {
      const own = answers.filter((answer) => answer.body.replica === id).map((answer) => answer.body.orderNumber!);
      expect(countDuplicates(own).duplicates).toBe(0);
    }
    expect(countDuplicates(answers.map((answer) => answer.body.orderNumber!)).duplicates).toBeGreaterThan(0);
  });

  // Unfenced, so nothing is promised past a TTL; with no pause here every holder finishes well within it.
  it('redlock: 0 duplicates while every holder finishes within its TTL', () => {
    expect(countDuplicates(results.get('redlock')!.map((answer) => answer.body.orderNumber!)).duplicates).toBe(0);
  });

  it.each(UNIQUE_STRATEGIES)('%s: exactly 0 duplicates', (strategy) => {
    const numbers = results.get(strategy)!.map((answer) => answer.body.orderNumber!);
    expect(numbers.every((number) => /^\d{25}$/.test(number))).toBe(true);
    expect(countDuplicates(numbers).duplicates).toBe(0);
  });
});
