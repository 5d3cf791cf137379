import { parseOrderNumber } from '@app/order-numbers';
import { usePrivateServices } from '../support/services';
import { postOrder } from '../support/http';
import { isolatedEnv, Replica, useReplicas } from './support/replicas';

// DESIGN §3, "Time", a lost mark: with the hybrid logical clock and clocks up to MAX_CLOCK_SKEW_MS
// apart, the ledger's mark can be ahead of a slower replica's clock. When Redis restarts empty
// (no persistence, as on the local cluster) that mark is gone; the slower replica must not stamp
// again the milliseconds the faster one used before the loss.

const replicas = useReplicas(); // before the private Redis, so that the apps close first
const services = usePrivateServices();

async function issue(replica: Replica): Promise<string | undefined> {
  const answer = await postOrder(replica.url, 1001);
  return answer.status === 201 ? (answer.json as { orderNumber: string }).orderNumber : undefined;
}

describe('a Redis that restarts empty under replicas 1.4 s apart (each within MAX_CLOCK_SKEW_MS)', () => {
  it('the replica behind stamps only after every number issued before the loss, so it repeats none', async () => {
    const redis = await services.redis();
    const env = { ...isolatedEnv('lost-mark'), REDIS_URL: redis.url, ORDER_STRATEGY: 'redis', BUSINESS_LINES: '1001' };
    const ahead = await replicas.start({ ...env, REPLICA_ID: 'ahead', FAULT_CLOCK_OFFSET_MS: '700' });
    const behind = await replicas.start({ ...env, REPLICA_ID: 'behind', FAULT_CLOCK_OFFSET_MS: '-700' });

    const before: string[] = [];
    for (let i = 0; i < 5; i += 1) before.push((await issue(behind))!);
    for (let i = 0; i < 50; i += 1) before.push((await issue(ahead))!);
    expect(before.every(Boolean)).toBe(true);

    await redis.stop(); // no persistence: it comes back empty
    await redis.start();

    // Over the next 3 s the replica behind would stamp milliseconds that the one ahead used 1.4 s earlier.
    const after: string[] = [];
    const until = Date.now() + 3000;
    while (Date.now() < until) {
      const number = await issue(behind);
      if (number) after.push(number);
      else await new Promise((resolve) => setTimeout(resolve, 20)); // reconnecting, or waiting out the floor
    }

    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((number) => before.includes(number))).toEqual([]);
    // The construction behind it: nothing after the loss is stamped at or before what the lost mark covered.
    const stamp = (number: string) => parseOrderNumber(number).timestampMs;
    expect(Math.min(...after.map(stamp))).toBeGreaterThan(Math.max(...before.map(stamp)));
  });
});
