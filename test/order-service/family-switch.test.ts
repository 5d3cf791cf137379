import { StrategyName, ZookeeperPaths } from '@app/contracts';
import { countDuplicates, parseOrderNumber } from '@app/order-numbers';
import { ConfigNode } from '@app/config-center';
import { eventually, useBackends } from '../support/backends';
import { call, postOrder } from '../support/http';
import { isolatedEnv, useReplicas } from './support/replicas';

// Ledger numbers (sequence 0000–9999) and snowflake numbers (worker ID + sequence) share the four
// suffix digits. A switch between the two families under load must not let them meet in one
// millisecond: the new family starts above the old one's recorded maximum (the ledger mark, the
// snowflake workers' reserved bound), read fenced by the new epoch (DESIGN §3).

const replicas = useReplicas();
const backends = useBackends();

interface Issued {
  strategy: StrategyName;
  orderNumber: string;
  ms: number;
}

describe('switching between number families under load', () => {
  it('never mixes ledger and snowflake numbers in one millisecond, and never repeats a number', async () => {
    const env = { ...isolatedEnv('family'), ORDER_STRATEGY: 'redis' };
    const fleet = await Promise.all(['fam-a', 'fam-b'].map((id) => replicas.start({ ...env, REPLICA_ID: id })));
    const node = new ConfigNode(await backends.zookeeper(), new ZookeeperPaths(env.ZK_ROOT).config);
    const issued: Issued[] = [];
    const failures: string[] = [];
    let running = true;
    const worker = async (url: string) => {
      while (running) {
        const answer = await postOrder(url, 1001, 10000);
        const body = answer.json as { orderNumber?: string; strategy?: StrategyName };
        if (answer.status !== 201 || !body.orderNumber || !body.strategy) failures.push(`${answer.status} ${answer.text}`);
        else issued.push({ strategy: body.strategy, orderNumber: body.orderNumber, ms: parseOrderNumber(body.orderNumber).timestampMs });
      }
    };
    const switchTo = async (strategy: StrategyName) => {
      await node.update({ strategy });
      await eventually(`both replicas on ${strategy}`, async () => {
        const statuses = await Promise.all(fleet.map((replica) => call(replica.url, 'GET', '/status')));
        return statuses.every((status) => (status.json as { strategy: string }).strategy === strategy);
      });
      await new Promise((resolve) => setTimeout(resolve, 700));
    };

    const load = Promise.all(fleet.flatMap((replica) => [worker(replica.url), worker(replica.url), worker(replica.url)]));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await switchTo('snowflake');
    await switchTo('redis');
    running = false;
    await load;

    expect(failures).toEqual([]);
    expect(new Set(issued.map((order) => order.orderNumber)).size).toBe(issued.length);
    // In the order of their milliseconds, the numbers form three runs: redis, snowflake, redis again.
    // (A request of the old family may answer after the first of the new one; its number may not be later.)
    const phases: Issued[][] = [];
    for (const order of [...issued].sort((x, y) => x.ms - y.ms)) {
      const current = phases[phases.length - 1];
      if (current && current[0].strategy === order.strategy) current.push(order);
      else phases.push([order]);
    }
    expect(phases.map((phase) => phase[0].strategy)).toEqual(['redis', 'snowflake', 'redis']);
    for (let i = 1; i < phases.length; i += 1) {
      const latestBefore = Math.max(...phases[i - 1].map((order) => order.ms));
      const earliestAfter = Math.min(...phases[i].map((order) => order.ms));
      expect(earliestAfter).toBeGreaterThan(latestBefore);
    }
  });
});
