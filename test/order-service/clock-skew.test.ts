import { execFileSync } from 'node:child_process';
import { parseOrderNumber } from '@app/order-numbers';
import { ensureLibfaketime } from '@app/provisioning';
import { uniqueName } from '../support/backends';
import { postOrder } from '../support/http';
import { ReplicaProcess, useReplicaProcesses } from '../support/replica-processes';

const AHEAD_S = 300;
const BUSINESS_ID = 1001;
/** Far below the fast clock's 300 s, far above the default MAX_CLOCK_SKEW_MS plus a slow machine. */
const NEAR_REAL_TIME_MS = 60_000;

const startReplica = useReplicaProcesses();

/** The environment that makes a Node process's wall clock run `AHEAD_S` ahead (libfaketime, a real skew). */
async function fastClockEnv(): Promise<Record<string, string>> {
  // Node's timers run on the monotonic clock; only the wall clock is the one to skew.
  return { LD_PRELOAD: await ensureLibfaketime(), FAKETIME: `+${AHEAD_S}s`, FAKETIME_DONT_FAKE_MONOTONIC: '1' };
}

describe('a replica whose clock runs 5 minutes ahead (libfaketime), beside two healthy ones (redis strategy)', () => {
  const name = uniqueName('skew');
  const env = { ZK_ROOT: `/${name}`, REDIS_PREFIX: `${name}:`, ORDER_STRATEGY: 'redis', BUSINESS_LINES: String(BUSINESS_ID) };
  let healthy: ReplicaProcess[];
  let fast: ReplicaProcess;
  let fastAnswer: Awaited<ReturnType<typeof postOrder>>;

  beforeAll(async () => {
    const skewed = await fastClockEnv();
    // The skew is real before anything else is believed: a Node process under it reads the future.
    const fastNow = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(Date.now()))'], { env: { ...process.env, ...skewed } }).toString());
    expect(fastNow - Date.now()).toBeGreaterThan((AHEAD_S - 30) * 1000);

    healthy = await Promise.all(['healthy-1', 'healthy-2'].map((id) => startReplica(id, env)));
    // Started on /status: a replica that knows its clock is wrong is not healthy, and says so.
    fast = await startReplica('fast', { ...env, ...skewed }, '/status');
    fastAnswer = await postOrder(fast.url, BUSINESS_ID);
  });

  it('the fast replica refuses to issue: 503, naming the clock', () => {
    expect(fastAnswer.status).toBe(503);
    expect(fastAnswer.body.message).toMatch(/clock/i);
  });

  it("the fast replica's /health is 503 and says its clock is ahead of ZooKeeper's by about 300 s", async () => {
    const response = await fetch(`${fast.url}/health`);
    const body = (await response.json()) as { error?: { clock?: { status: string; reason: string; offsetMs: number } } };
    expect(response.status).toBe(503);
    expect(body.error?.clock?.status).toBe('down');
    expect(body.error?.clock?.reason).toMatch(/ahead of ZooKeeper/);
    expect(Math.abs(body.error!.clock!.offsetMs - AHEAD_S * 1000)).toBeLessThan(30_000);
  });

  it("the healthy replicas' numbers keep real time (not the fast replica's millisecond) and never repeat", async () => {
    // A few in flight at a time: lock waits are not what this test is about.
    const perWorker = await Promise.all(
      Array.from({ length: 4 }, async (_, worker) => {
        const own = [];
        for (let i = 0; i < 50; i += 1) own.push(await postOrder(healthy[worker % 2].url, BUSINESS_ID));
        return own;
      }),
    );
    const answers = perWorker.flat();
    expect(answers.filter((answer) => answer.status !== 201)).toEqual([]);
    const numbers = answers.map((answer) => answer.body.orderNumber!);
    expect(new Set(numbers).size).toBe(numbers.length);
    const realNow = Date.now();
    const ahead = numbers.map((number) => parseOrderNumber(number).timestampMs - realNow);
    expect(Math.max(...ahead)).toBeLessThan(NEAR_REAL_TIME_MS);
  });
});
