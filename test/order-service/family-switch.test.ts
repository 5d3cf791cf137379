import { StrategyName, ZookeeperPaths } from '@app/contracts';
import { countDuplicates, parseOrderNumber } from '@app/order-numbers';
import { ConfigNode } from '@app/config-center';
import { eventually, useBackends } from '../support/backends';
import { call, postOrder } from '../support/http';
import { isolatedEnv, useReplicas } from './support/replicas';

// Ledger numbers (sequence 0000–9999), snowflake numbers (worker ID + sequence) and db-segment
// numbers (sequence 0000–9999 from the MariaDB ledger) share the four suffix digits. A switch
// between two families under load must not let them meet in one millisecond: the new family
// starts above the old ones' recorded maxima (the ledger mark, the snowflake workers' reserved
// bound, the highest segment end), read fenced by the new epoch (DESIGN §3).

const replicas = useReplicas();
const backends = useBackends();

interface Issued {
  strategy: StrategyName;
  orderNumber: string;
  ms: number;
}

describe('switching between number families under load', () => {
  it('never mixes ledger and snowflake numbers in one millisecond, and never repeats a number', async () => {
    await switchUnderLoad('family', 'redis', ['snowflake', 'redis']);
  });

  // db-segment is a third family: its numbers carry their segment's allocation time, so buffers
  // left from an earlier db-segment phase must be dropped at the switch back, or they would issue
  // numbers older than the snowflake phase in between.
  it('keeps db-segment, snowflake and the ledger (db-lock included) apart the same way, dropping old segment buffers', async () => {
    await switchUnderLoad('family-db', 'redis', ['db-segment', 'snowflake', 'db-segment', 'db-lock']);
  });
});

async function switchUnderLoad(label: string, first: StrategyName, then: StrategyName[]): Promise<void> {
  const env = { ...isolatedEnv(label), ORDER_STRATEGY: first };
  const fleet = await Promise.all([`${label}-a`, `${label}-b`].map((id) => replicas.start({ ...env, REPLICA_ID: id })));
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
  for (const strategy of then) await switchTo(strategy);
  running = false;
  await load;

  expect(failures).toEqual([]);
  expect(countDuplicates(issued.map((order) => order.orderNumber)).duplicates).toBe(0);
  // The phases, in the order the clients saw them.
  const phases: Issued[][] = [];
  for (const order of issued) {
    const current = phases[phases.length - 1];
    if (current && current[0].strategy === order.strategy) current.push(order);
    else phases.push([order]);
  }
  expect(phases.map((phase) => phase[0].strategy)).toEqual([first, ...then]);
  for (let i = 1; i < phases.length; i += 1) {
    const latestBefore = Math.max(...phases[i - 1].map((order) => order.ms));
    const earliestAfter = Math.min(...phases[i].map((order) => order.ms));
    expect(earliestAfter).toBeGreaterThan(latestBefore);
  }
}
