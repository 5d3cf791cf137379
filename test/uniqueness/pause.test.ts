import { formatTimestamp } from '@app/order-numbers';
import { eventually, uniqueName, useBackends } from '../support/backends';
import { OrderAnswer, postOrder } from '../support/http';
import { ReplicaProcess, useReplicaProcesses } from '../support/replica-processes';

const startReplica = useReplicaProcesses();
const backends = useBackends();

/** Orders the paused replica serves normally before its next critical section pauses. */
const WARM_UP = 3;

interface Scenario {
  strategy: 'redis' | 'zookeeper';
  /** Makes the lock pass to another holder while the first one sleeps. */
  leaseEnv: Record<string, string>;
  pauseMs: number;
}

const scenarios: Scenario[] = [
  // TTL 500 ms, pause 3 s: the key expires under the sleeping holder.
  { strategy: 'redis', leaseEnv: { LOCK_TTL_MS: '500' }, pauseMs: 3000 },
  // Session 1.5 s, pause 6 s: the server expires the session and deletes the holder's lock node.
  { strategy: 'zookeeper', leaseEnv: { ZK_SESSION_TIMEOUT_MS: '1500' }, pauseMs: 6000 },
];

/** True while the process does not answer at all: its event loop is blocked in the pause. */
async function frozen(replica: ReplicaProcess): Promise<boolean> {
  try {
    await fetch(`${replica.url}/status`, { signal: AbortSignal.timeout(300) });
    return false;
  } catch {
    return true;
  }
}

/**
 * DESIGN §3, made deterministic: the business line's mark is seeded a minute ahead, so every
 * number in it is "that millisecond, next sequence" whatever the clock does. A holder reads the
 * mark and stops the world in the critical section; its lock passes to a second replica, which
 * issues the next number; the first wakes and writes what it computed before the pause.
 */
async function runScenario(scenario: Scenario, fencing: 'on' | 'off'): Promise<{ sleeper: OrderAnswer; other: OrderAnswer; seeded: string }> {
  const root = uniqueName(`pause-${scenario.strategy}-${fencing}`);
  const common = {
    ORDER_STRATEGY: scenario.strategy,
    LOCK_FENCING: fencing,
    ZK_ROOT: `/${root}`,
    REDIS_PREFIX: `${root}:`,
    LOCK_WAIT_MS: '15000',
    REQUEST_TIMEOUT_MS: '20000',
    ...scenario.leaseEnv,
  };
  const sleeper = await startReplica(`${root}-sleeper`, {
    ...common,
    FAULT_PAUSE_EVERY: String(WARM_UP + 1),
    FAULT_PAUSE_MS: String(scenario.pauseMs),
  });
  const other = await startReplica(`${root}-other`, common);
  for (let i = 0; i < WARM_UP; i += 1) expect((await postOrder(sleeper.url, 2001, 20_000)).status).toBe(201);

  const redis = await backends.redis();
  const seededMs = Date.now() + 60_000;
  await redis.set(`${root}:ledger:1001`, `${seededMs}:0`);

  const sleeping = postOrder(sleeper.url, 1001, 30000);
  await eventually('the first holder to be paused inside its critical section', () => frozen(sleeper), 5000, 20);
  const otherResult = await postOrder(other.url, 1001, 30000);
  expect(await frozen(sleeper)).toBe(true); // the second order was issued while the first holder slept
  return { sleeper: await sleeping, other: otherResult, seeded: formatTimestamp(seededMs) };
}

describe.each(scenarios)('a $strategy lock holder paused past its lease', (scenario) => {
  it('with LOCK_FENCING=off, the stale holder returns the very number the new holder returned', async () => {
    const { sleeper, other, seeded } = await runScenario(scenario, 'off');
    expect(other.status).toBe(201);
    expect(other.body.orderNumber).toBe(`${seeded}10010001`);
    expect(sleeper.status).toBe(201);
    expect(sleeper.body.orderNumber).toBe(other.body.orderNumber);
  });

  it('with LOCK_FENCING=on, the stale write is refused and no number is returned twice', async () => {
    const { sleeper, other, seeded } = await runScenario(scenario, 'on');
    expect(other.status).toBe(201);
    expect(other.body.orderNumber).toBe(`${seeded}10010001`);
    // The stale holder retries from the start under a new lease, or (its ZooKeeper session gone)
    // answers 503 with the reason; either way it never returns the other holder's number.
    expect([201, 503]).toContain(sleeper.status);
    if (sleeper.status === 201) expect(sleeper.body.orderNumber).not.toBe(other.body.orderNumber);
    else expect(sleeper.body.message).toMatch(/ZooKeeper|lock|stale/i);
  });
});
