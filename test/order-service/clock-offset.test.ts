import { STRATEGY_NAMES, StrategyName } from '@app/contracts';
import { useBackends } from '../support/backends';
import { call, postOrder } from '../support/http';
import { isolatedEnv, useReplicas } from './support/replicas';

// FAULT_CLOCK_OFFSET_MS shifts a replica's clock through the one Clock seam the strategies stamp
// with; the skew guard measures that same clock against ZooKeeper's, so a shifted replica refuses
// every strategy that stamps time, and says why in /health.

const replicas = useReplicas();
const backends = useBackends();
const STAMPING = STRATEGY_NAMES.filter((name): name is Exclude<StrategyName, 'redis-pregen'> => name !== 'redis-pregen');

describe('a replica whose clock FAULT_CLOCK_OFFSET_MS puts 5 s behind ZooKeeper', () => {
  it.each(STAMPING)('%s: 503 naming the clock, nothing issued, /health down under clock', async (strategy) => {
    const env = isolatedEnv('offset');
    const replica = await replicas.start({ ...env, ORDER_STRATEGY: strategy, FAULT_CLOCK_OFFSET_MS: '-5000' });
    const answer = await postOrder(replica.url, 1001);
    expect(await (await backends.redis()).exists(`${env.REDIS_PREFIX}ledger:1001`)).toBe(0);
    expect(answer.status).toBe(503);
    expect((answer.json as { message: string }).message).toMatch(/refusing to issue: clock is \d+ ms .* behind ZooKeeper's time/);
    const health = await call(replica.url, 'GET', '/health');
    expect(health.status).toBe(503);
    expect((health.json as { error: { clock: { status: string; offsetMs: number } } }).error.clock).toMatchObject({ status: 'down' });
    await replica.close();
  });

  it('within MAX_CLOCK_SKEW_MS it issues as usual', async () => {
    const replica = await replicas.start({ ...isolatedEnv('offset'), ORDER_STRATEGY: 'redis', FAULT_CLOCK_OFFSET_MS: '-300' });
    expect((await postOrder(replica.url, 1001)).status).toBe(201);
    expect((await call(replica.url, 'GET', '/health')).status).toBe(200);
    await replica.close();
  });
});
