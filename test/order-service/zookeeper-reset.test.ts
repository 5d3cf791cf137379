import { rmSync } from 'node:fs';
import { CreateMode } from 'node-zookeeper-client';
import { StrategyName, ZookeeperPaths } from '@app/contracts';
import { eventually, useBackends } from '../support/backends';
import { usePrivateServices } from '../support/services';
import { postOrder } from '../support/http';
import { isolatedEnv, Replica, useReplicas } from './support/replicas';

// Issue 7, item 7: ZooKeeper loses its data (compose keeps it on anonymous volumes) while Redis
// keeps its fences. ZooKeeper's counters (lock sequences, zxids, election tokens) restart below
// the fences Redis kept; the replicas must tell the new generation apart, issue again soon, and
// never accept a token that could repeat a number (DESIGN §3: the epoch leads every token).
// The replicas restart with it here; live replicas riding out the wipe also need their session
// to recover from the server forgetting it (a separate item).

jest.setTimeout(180_000);

const replicas = useReplicas(); // declared first: its afterAll closes the apps before the servers stop
const services = usePrivateServices();
const backends = useBackends();

const SESSION_TIMEOUT_MS = 2000;
const BEFORE = 300;
const AFTER = 300;
/** A long run's worth of lock acquisitions on one business line, compressed (see below). */
const LONG_RUN = 5_000;

async function issue(fleet: Replica[], count: number, numbers: string[], failures: string[]): Promise<void> {
  let sent = 0;
  await Promise.all(
    Array.from({ length: 8 }, async (_, worker) => {
      while (sent++ < count) {
        const answer = await postOrder(fleet[worker % fleet.length].url, 1001);
        const body = answer.json as { orderNumber?: string };
        if (answer.status === 201 && body.orderNumber) numbers.push(body.orderNumber);
        else failures.push(`${answer.status} ${answer.text}`);
      }
    }),
  );
}

/** Restarted: the replicas restart with ZooKeeper (compose). Live: they ride out the wipe with their sessions. */
type Replicas = 'restarted' | 'live';

describe('ZooKeeper data reset while Redis keeps its keys', () => {
  it.each<[StrategyName, Replicas]>([
    ['zookeeper', 'restarted'],
    ['redis-pregen', 'restarted'],
    ['snowflake', 'restarted'],
    ['zookeeper', 'live'],
    ['redis-pregen', 'live'],
    ['snowflake', 'live'],
  ])('%s, replicas %s: issues again soon after the reset, never a number twice', async (strategy, mode) => {
    const zk = await services.zookeeper();
    const env = { ...isolatedEnv(`zk-reset-${strategy}`), ZK_CONNECT: zk.connectString, ZK_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS), ORDER_STRATEGY: strategy, POOL_SIZE: '200', POOL_LOW_WATER: '100' };
    const fleet = [await replicas.start({ ...env, REPLICA_ID: `${strategy}-a` }), await replicas.start({ ...env, REPLICA_ID: `${strategy}-b` })];
    await eventually('the first order', async () => (await postOrder(fleet[0].url, 1001)).status === 201, 20_000, 100);

    if (strategy === 'zookeeper') {
      // The lock's tokens are the folder's sequence numbers. After a long run they sit far above
      // what a fresh ZooKeeper counts from; advance the counter as that run would have, by
      // creating (and removing) sequential nodes in the very folder, so the fence Redis keeps is high.
      const session = await backends.zookeeper(zk.connectString, 10_000);
      const folder = `${new ZookeeperPaths(env.ZK_ROOT).sequentialLocks}/business-1001`;
      for (let done = 0; done < LONG_RUN; done += 250) {
        const created = await Promise.all(Array.from({ length: 250 }, () => session.api().create(`${folder}/past-`, Buffer.alloc(0), CreateMode.PERSISTENT_SEQUENTIAL)));
        await Promise.all(created.map((path) => session.api().remove(path)));
      }
      await session.close();
    }
    const numbers: string[] = [];
    const failures: string[] = [];
    // Enough acquisitions (and, for the pools, refills) that the fences in Redis sit well above
    // whatever a fresh ZooKeeper counts from.
    await issue(fleet, BEFORE, numbers, failures);
    expect(failures).toEqual([]);

    // As `docker-compose down && up` does with ZooKeeper on anonymous volumes and Redis on a named
    // one: everything restarts, ZooKeeper with no data, Redis with all its keys.
    // Live replicas meet a server that has never heard of their sessions and has seen fewer zxids
    // than their clients: it refuses them, so they must give their sessions up and start new ones.
    if (mode === 'restarted') await Promise.all(fleet.map((replica) => replica.close()));
    await zk.stop();
    rmSync(zk.dataDir, { recursive: true, force: true });
    await zk.start(); // same port, no data: a new generation
    if (mode === 'restarted') {
      fleet.splice(0, fleet.length, await replicas.start({ ...env, REPLICA_ID: `${strategy}-c` }), await replicas.start({ ...env, REPLICA_ID: `${strategy}-d` }));
    }

    for (const replica of fleet) {
      let last = '';
      await eventually(`${replica.id} to issue again after the reset`, async () => {
        const answer = await postOrder(replica.url, 1001);
        const body = answer.json as { orderNumber?: string };
        if (answer.status === 201 && body.orderNumber) numbers.push(body.orderNumber);
        last = `${answer.status} ${answer.text}`;
        return answer.status === 201;
      }, SESSION_TIMEOUT_MS + 10_000, 200).catch((error: Error) => {
        throw new Error(`${error.message}; last answer ${last}`);
      }); // liveness: a new session (after a session timeout of silence) and one epoch adoption, not minutes

    }

    await issue(fleet, AFTER, numbers, failures);
    expect(failures).toEqual([]);
    expect(numbers.length - new Set(numbers).size).toBe(0);
    await Promise.all(fleet.map((replica) => replica.close())); // the next case wipes its own server
  });
});
