import { ZookeeperPaths } from '@app/contracts';
import { parseOrderNumber } from '@app/order-numbers';
import { eventually, useBackends } from '../support/backends';
import { postOrder } from './support/http';
import { isolatedEnv, Replica, useReplicas } from './support/replicas';

// DESIGN §2/§3 for `snowflake`: replicas on one ZooKeeper root lease distinct worker IDs
// (`/workers/NN`), carry them in their numbers, and a new lessee of a freed ID never issues at or
// before the last millisecond its predecessor reserved (`/worker-state/NN`).

const replicas = useReplicas();
const backends = useBackends();
const env = { ...isolatedEnv('snowflake'), ORDER_STRATEGY: 'snowflake' };
const root = env.ZK_ROOT;

async function firstNumber(replica: Replica): Promise<string> {
  const answer = await postOrder(replica.url, 1001);
  expect(answer.status).toBe(201);
  return (answer.json as { orderNumber: string }).orderNumber;
}

/** Worker ID → the replica ID written into its lease node. */
async function leases(): Promise<Map<string, string>> {
  const api = (await backends.zookeeper()).api();
  const children = (await api.getChildren(new ZookeeperPaths(root).workers)).sort();
  const owners = await Promise.all(
    children.map(async (child) => (await api.getData(`${new ZookeeperPaths(root).workers}/${child}`)).data?.toString() ?? ''),
  );
  return new Map(children.map((child, i) => [child, owners[i]]));
}

const workerOf = (orderNumber: string): string => orderNumber.slice(21, 23);

describe('snowflake replicas on one ZooKeeper root', () => {
  let fleet: Replica[];

  beforeAll(async () => {
    fleet = await Promise.all(['sf-a', 'sf-b', 'sf-c'].map((id) => replicas.start({ ...env, REPLICA_ID: id })));
  });

  it('lease distinct worker IDs and carry them in their numbers', async () => {
    const firsts = await Promise.all(fleet.map(firstNumber)); // concurrently: the leases race
    const workers = firsts.map(workerOf);
    expect(new Set(workers).size).toBe(3);
    expect([...workers].sort()).toEqual(['00', '01', '02']);

    const leased = await leases();
    expect([...leased.keys()]).toEqual(['00', '01', '02']);
    fleet.forEach((replica, i) => expect(leased.get(workers[i])).toBe(replica.id));

    for (const [i, replica] of fleet.entries()) {
      const more = await Promise.all(Array.from({ length: 20 }, () => firstNumber(replica)));
      expect(more.map(workerOf)).toEqual(Array(20).fill(workers[i]));
    }
  });

  it('give a freed worker ID to the next replica, which issues only after the reservation its predecessor recorded', async () => {
    const leased = await leases();
    // The middle ID: the newcomer must take the lowest free one (01), not the next unused (03).
    const leaving = fleet.find((replica) => replica.id === leased.get('01'));
    if (!leaving) throw new Error(`no replica holds worker 01: ${JSON.stringify([...leased])}`);
    await leaving.close();
    await eventually('worker 01 to be released', async () => !(await leases()).has('01'));

    const api = (await backends.zookeeper()).api();
    const { data } = await api.getData(new ZookeeperPaths(root).workerState(1));
    const { reservedUntilMs } = JSON.parse(data?.toString() ?? '{}') as { reservedUntilMs: number };
    expect(typeof reservedUntilMs).toBe('number');

    const newcomer = await replicas.start({ ...env, REPLICA_ID: 'sf-d' });
    const orderNumber = await firstNumber(newcomer);

    expect(workerOf(orderNumber)).toBe('01');
    expect((await leases()).get('01')).toBe('sf-d');
    expect(parseOrderNumber(orderNumber).timestampMs).toBeGreaterThan(reservedUntilMs);
  });
});
