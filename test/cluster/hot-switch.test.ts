import { UNIQUE_STRATEGIES, StrategyName } from '@app/contracts';
import { ConfigNode, resolveTarget } from '@app/config-center';
import { countDuplicates } from '@app/order-numbers';
import { eventually } from '../support/backends';
import { ZookeeperSession } from '@app/zookeeper';
import { OrderResult, postOrders } from './support/order-load';
import { launchTestCluster, TestCluster } from './support/test-cluster';

// Issue 7, item 1: hot switches between the unique strategies under load (DESIGN §3). Once a switch
// to a unique strategy has completed, no number it issues equals any number issued before, under
// any strategy; a switch costs at most about a second of 503s per replica.

jest.setTimeout(180_000);

const CONNECTIONS = 64;
const SWITCH_EVERY_MS = 600;
const BUSINESS_ID = 1001;

/** A walk through every ordered pair of `names` exactly once (an Eulerian circuit of the complete digraph). */
function everyOrderedPair(names: readonly StrategyName[]): StrategyName[] {
  const unused = new Map(names.map((from) => [from, names.filter((to) => to !== from)]));
  const stack: StrategyName[] = [names[0]];
  const walk: StrategyName[] = [];
  while (stack.length > 0) {
    const at = stack[stack.length - 1];
    const next = unused.get(at)?.shift();
    if (next === undefined) walk.push(stack.pop() as StrategyName);
    else stack.push(next);
  }
  return walk.reverse();
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

let testCluster: TestCluster | undefined;
let session: ZookeeperSession | undefined;

afterAll(async () => {
  await session?.close();
  await testCluster?.stop();
});

describe('hot switches between unique strategies', () => {
  it(`never repeats a number across all ordered pairs at ${CONNECTIONS} connections on one business line`, async () => {
    const walk = everyOrderedPair(UNIQUE_STRATEGIES);
    const pairs = new Set(walk.slice(1).map((to, i) => `${walk[i]}→${to}`));
    expect(pairs.size).toBe(UNIQUE_STRATEGIES.length * (UNIQUE_STRATEGIES.length - 1));

    testCluster = await launchTestCluster('hot-switch', 3, { ORDER_STRATEGY: walk[0], LOG_LEVEL: 'warn' });
    const { cluster } = testCluster;
    session = await ZookeeperSession.open({ connect: cluster.state.zookeeper, sessionTimeoutMs: 10_000 });
    const target = resolveTarget(cluster.state.zookeeper, { ORDER_STRATEGY: walk[0] }, undefined);
    const node = new ConfigNode(session, target.path);

    const stop = new AbortController();
    const load = postOrders(cluster.gatewayUrl, { concurrency: CONNECTIONS, until: stop.signal, businessLines: [BUSINESS_ID] });
    for (const strategy of walk.slice(1)) {
      await new Promise((resolve) => setTimeout(resolve, SWITCH_EVERY_MS));
      // The operator's write goes through even when this test's own session blinks on a loaded machine.
      await eventually(`the switch to ${strategy} to be written`, () => node.update({ strategy }, target.seed).then(() => true, () => false), 10_000, 100);
    }
    await new Promise((resolve) => setTimeout(resolve, SWITCH_EVERY_MS));
    stop.abort();
    const results: OrderResult[] = await load;

    // The duplicate count is our own, from every number returned, not the service's word.
    const issued = countDuplicates(results.filter((result) => result.status === 201).map((result) => String(result.body.orderNumber)));
    const failed = results.filter((result) => result.status !== 201);
    const byStrategy: Record<string, number> = {};
    for (const result of results) {
      if (result.status === 201) byStrategy[String(result.body.strategy)] = (byStrategy[String(result.body.strategy)] ?? 0) + 1;
    }
    testCluster.lines.push(
      `${walk.length - 1} switches (${walk.join(' → ')}): ${results.length} orders, ${issued.duplicates} duplicate numbers, ` +
        `${failed.length} non-201 (${((100 * failed.length) / results.length).toFixed(2)}%), by strategy ${JSON.stringify(byStrategy)}; ` +
        `failures by reason ${JSON.stringify(countBy(failed.map((result) => `${result.status} ${String(result.body.message ?? JSON.stringify(result.body)).replace(/\d+/g, 'N')}`)))}`,
    );

    expect(Object.keys(byStrategy).sort()).toEqual([...UNIQUE_STRATEGIES].sort());
    expect(issued.examples).toEqual([]);
    expect(issued.duplicates).toBe(0);
    expect(failed.filter((result) => result.status !== 503)).toEqual([]);
    expect(failed.length / results.length).toBeLessThan(0.02);
  });
});
