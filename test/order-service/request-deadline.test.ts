import { usePrivateServices } from '../support/services';
import { Answer, postOrder } from '../support/http';
import { isolatedEnv, useReplicas } from './support/replicas';

// DESIGN §6, one deadline per request: with Redis frozen (it accepts connections and never
// answers), every request, including those queued on the business line's lock behind one stuck on
// Redis, answers 503 within REQUEST_TIMEOUT_MS and a small slack — before the gateway's RPC timeout
// gives up and tells the client "may or may not have been issued". The client's own deadline is
// that bound: a request that outlives it fails the test as a hang.

jest.setTimeout(120_000);

const replicas = useReplicas(); // declared first: its afterAll closes the apps before the servers stop
const services = usePrivateServices();

const REQUEST_TIMEOUT_MS = 1500;
/** The margin the gateway's default RPC_TIMEOUT_MS (10 s) leaves over the default REQUEST_TIMEOUT_MS (8 s). */
const SLACK_MS = 2000;
const CONCURRENT = 4;

describe('one deadline per request', () => {
  it.each(['zookeeper', 'redis', 'redis-pregen'])('%s: with Redis frozen, every request answers 503 within REQUEST_TIMEOUT_MS + slack', async (strategy) => {
    const redis = await services.redis();
    const replica = await replicas.start({
      ...isolatedEnv(`deadline-${strategy}`),
      REDIS_URL: redis.url,
      ORDER_STRATEGY: strategy,
      REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      LOCK_WAIT_MS: String(REQUEST_TIMEOUT_MS),
      POOL_SIZE: '20',
      POOL_LOW_WATER: '10',
    });
    let warm: Answer | undefined;
    for (let attempt = 0; attempt < 50 && warm?.status !== 201; attempt += 1) warm = await postOrder(replica.url, 1001);
    expect(warm?.status).toBe(201);

    redis.pause();
    try {
      // Enough in flight at once that some queue on the lock behind a holder stuck on Redis; the
      // pool drains, so its requests meet the frozen Redis too.
      const deadline = REQUEST_TIMEOUT_MS + SLACK_MS;
      const answers = await Promise.all(Array.from({ length: CONCURRENT * 8 }, () => postOrder(replica.url, 1001, deadline)));
      const refused = answers.filter((answer: Answer) => answer.status !== 201);
      expect(refused.length).toBeGreaterThan(0);
      for (const answer of refused) {
        expect({ status: answer.status, json: answer.json }).toMatchObject({ status: 503, json: { statusCode: 503 } });
      }
    } finally {
      redis.resume();
    }
  });
});
