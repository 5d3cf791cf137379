import { parseRuntimeConfig, ZookeeperPaths } from '@app/contracts';
import { zxidToNumber, ZookeeperSession } from '@app/zookeeper';
import { countDuplicates } from '@app/order-numbers';
import { OrderResult, postOrders } from '../cluster/support/order-load';
import { issuedNumbers } from '../support/http';
import { eventually, useBackends } from '../support/backends';
import { deleteAll } from '../support/delete-all';
import { ReplicaProcess, useReplicaProcesses } from '../support/replica-processes';
import { isolatedEnv } from './support/replicas';

// Real processes: the load client and the replicas must not share one event loop.
const startReplica = useReplicaProcesses();
const backends = useBackends();

const LINE = 1001;
/** How soon after an operator's deletion a business line must answer 201 again (a liveness bound, polled). */
const HEALED_WITHIN_MS = 2000;

/** 64 requests in flight, split over the replicas, until `stop`; `results` fills as answers arrive. */
class Load {
  readonly results: OrderResult[] = [];
  private readonly until = new AbortController();
  private readonly runs: Promise<unknown>[];

  constructor(targets: ReplicaProcess[], businessLines: readonly number[] = [LINE]) {
    this.runs = targets.map((replica) =>
      postOrders(replica.url, {
        concurrency: 64 / targets.length,
        until: this.until.signal,
        businessLines,
        requestTimeoutMs: 15_000,
        onResult: (result) => this.results.push(result),
      }),
    );
  }

  async stop(): Promise<OrderResult[]> {
    this.until.abort();
    await Promise.all(this.runs);
    return this.results;
  }
}

/** Runs `body` under load and always stops the load, so a failure leaves nothing running. */
async function underLoad(load: Load, body: () => Promise<void>): Promise<OrderResult[]> {
  try {
    await body();
  } finally {
    await load.stop();
  }
  return load.results;
}

/** Polls a replica, from now on, until it answers 201 (called right after a deletion). */
async function healed(replica: ReplicaProcess, businessId = LINE): Promise<void> {
  await eventually(
    `201 from ${replica.id} again after the deletion`,
    async () => {
      const response = await fetch(`${replica.url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ businessId }) });
      return response.status === 201;
    },
    HEALED_WITHIN_MS,
    20,
  );
}

function expectSafe(results: OrderResult[]): void {
  const statuses: Record<number, number> = {};
  results.forEach((result) => (statuses[result.status] = (statuses[result.status] ?? 0) + 1));
  console.log(`answers by status: ${JSON.stringify(statuses)}`);
  expect(results.filter((result) => result.status === 201).length).toBeGreaterThan(0);
  expect(countDuplicates(issuedNumbers(results)).examples).toEqual([]);
  // 503 (come back later) is allowed while a recipe heals; a 500, a hang (0) or anything else is not.
  expect(Object.keys(statuses).filter((status) => status !== '201' && status !== '503')).toEqual([]);
}

/** One after the other: two Nest boots at once on a busy 2-core machine can miss the start deadline. */
async function startTwo(env: Record<string, string>): Promise<ReplicaProcess[]> {
  return [await startReplica('heal-a', env), await startReplica('heal-b', env)];
}

describe('an operator deletes a ZooKeeper node the replicas rely on, under 64-connection load', () => {
  let session: ZookeeperSession;
  beforeAll(async () => {
    session = await backends.zookeeper(undefined, 10_000);
  });

  it.each([
    ['zookeeper', (paths: ZookeeperPaths) => `${paths.sequentialLocks}/business-${LINE}`],
    ['zookeeper-ephemeral', (paths: ZookeeperPaths) => paths.ephemeralLocks],
  ])('%s: the lock folder is re-created; no duplicate, no 500, 201 again within 2 s', async (strategy, folderOf) => {
    const env = isolatedEnv('heal-lock');
    const folder = folderOf(new ZookeeperPaths(env.ZK_ROOT));
    const load = new Load(await startTwo({ ...env, ORDER_STRATEGY: strategy }));
    const results = await underLoad(load, async () => {
      await eventually('orders flowing', () => load.results.some((result) => result.status === 201), 10_000);
      for (let round = 0; round < 3; round += 1) {
        await deleteAll(session.api(), folder);
        // The deletion's zxid: the parent's children last changed then (or later, when re-created).
        const parent = await session.api().exists(folder.slice(0, folder.lastIndexOf('/')));
        const deletedAt = zxidToNumber(parent?.pzxid ?? Buffer.alloc(8));
        // Tokens are creation zxids: a 201 under a newer token went through the re-created folder.
        // Measured on the load itself, so the queue's depth under 64 connections is not counted.
        await eventually('a 201 under a lock taken after the deletion', () => load.results.some((result) => result.status === 201 && Number(result.body.fencingToken) > deletedAt), HEALED_WITHIN_MS, 20);
      }
    });
    expectSafe(results);
  });

  // The registry and the config center are strategy-independent; `snowflake` keeps the answers
  // fast under 64 connections, so that the polled 201 measures the healing, not a lock queue.
  it('the registry folder: every replica registers again', async () => {
    const env = isolatedEnv('heal-registry');
    const pair = await startTwo({ ...env, ORDER_STRATEGY: 'snowflake' });
    const paths = new ZookeeperPaths(env.ZK_ROOT);
    const results = await underLoad(new Load(pair), async () => {
      await deleteAll(session.api(), paths.registry);
      await eventually('both replicas registered again', async () => (await session.api().exists(paths.registry)) !== null && (await session.api().getChildren(paths.registry)).length === 2, HEALED_WITHIN_MS);
      await Promise.all(pair.map((replica) => healed(replica)));
    });
    expectSafe(results);
  });

  it('the config node: re-created from the last good config, not from the environment seed', async () => {
    const env = isolatedEnv('heal-config');
    const pair = await startTwo({ ...env, ORDER_STRATEGY: 'snowflake' });
    const paths = new ZookeeperPaths(env.ZK_ROOT);
    const { data } = await session.api().getData(paths.config);
    const seeded = parseRuntimeConfig(data ?? Buffer.from(''));
    if (!seeded.ok) throw new Error(seeded.error);
    // An operator's change the environment knows nothing of: a new business line.
    const edited = { ...seeded.config, businessLines: [...seeded.config.businessLines, 4242] };
    await session.api().setData(paths.config, Buffer.from(JSON.stringify(edited)));
    await Promise.all(pair.map((replica) => healed(replica, 4242)));

    const results = await underLoad(new Load(pair, [LINE, 4242]), async () => {
      await deleteAll(session.api(), paths.config);
      await eventually(
        'the config node back, as the operator left it',
        async () => {
          if (!(await session.api().exists(paths.config))) return false;
          const back = parseRuntimeConfig((await session.api().getData(paths.config)).data ?? Buffer.from(''));
          return back.ok && JSON.stringify(back.config) === JSON.stringify(edited);
        },
        HEALED_WITHIN_MS,
      );
      await Promise.all(pair.map((replica) => healed(replica, 4242)));
    });
    expectSafe(results);
  });

  it('a snowflake worker lease: the replica stops issuing under it and leases again', async () => {
    const env = isolatedEnv('heal-worker');
    const pair = await startTwo({ ...env, ORDER_STRATEGY: 'snowflake' });
    const paths = new ZookeeperPaths(env.ZK_ROOT);
    const results = await underLoad(new Load(pair), async () => {
      await Promise.all(pair.map((replica) => healed(replica)));
      for (let round = 0; round < 3; round += 1) {
        const [lease] = await session.api().getChildren(paths.workers);
        await session.api().remove(`${paths.workers}/${lease}`);
        await eventually('two worker leases again', async () => (await session.api().getChildren(paths.workers)).length === 2, HEALED_WITHIN_MS);
        await Promise.all(pair.map((replica) => healed(replica)));
      }
    });
    expectSafe(results);
  });

  // The lease node stays, so nothing else tells the replica: only its next write of the window finds
  // the record gone (NO_NODE) or rewritten (BAD_VERSION), and it used to refuse every order after that.
  it('a snowflake worker reservation deleted or rewritten: the replica records its window again', async () => {
    const env = isolatedEnv('heal-reservation');
    const pair = await startTwo({ ...env, ORDER_STRATEGY: 'snowflake' });
    const paths = new ZookeeperPaths(env.ZK_ROOT);
    const folder = paths.workerStates;
    const results = await underLoad(new Load(pair), async () => {
      await Promise.all(pair.map((replica) => healed(replica)));
      for (let round = 0; round < 2; round += 1) {
        await deleteAll(session.api(), folder);
        // Past one window (2 s), so that every replica has had to record a new end since.
        await new Promise((resolve) => setTimeout(resolve, 2500));
        await Promise.all(pair.map((replica) => healed(replica)));
        // An operator's edit: the record is there, but not at the version its holder wrote.
        const [worker] = await session.api().getChildren(folder);
        await session.api().setData(`${folder}/${worker}`, Buffer.from(JSON.stringify({ reservedUntilMs: 0 })));
        await new Promise((resolve) => setTimeout(resolve, 2500));
        await Promise.all(pair.map((replica) => healed(replica)));
      }
    });
    expectSafe(results);
    const leased = await session.api().getChildren(paths.workers);
    const recorded = await session.api().getChildren(folder);
    expect(recorded.sort()).toEqual(leased.sort());
  });
});
