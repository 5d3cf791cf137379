import { ZookeeperEphemeralLock, ZookeeperSequentialLock } from '@app/locks';
import { parseConnectString } from '@app/zookeeper';
import { requireEnv, uniqueName, useBackends } from '../support/backends';
import { HoldableRequest, ZookeeperProxy } from '../support/zookeeper-proxy';
import { contend, describeLockContract } from './lock-contract';

const backends = useBackends();
let proxy: ZookeeperProxy;

beforeAll(async () => {
  const [server] = parseConnectString(requireEnv('TEST_ZK_CONNECT'));
  proxy = await ZookeeperProxy.start(server);
});
afterAll(() => proxy.close());

describeLockContract('zookeeper (ephemeral-sequential, watch the predecessor)', async () => {
  const root = `/${uniqueName('locks')}`;
  return {
    first: new ZookeeperSequentialLock(await backends.zookeeper(), root, 'first'),
    second: new ZookeeperSequentialLock(await backends.zookeeper(), root, 'second'),
  };
});

describeLockContract('zookeeper-ephemeral (one node, everybody watches it)', async () => {
  const root = `/${uniqueName('locks')}`;
  return {
    first: new ZookeeperEphemeralLock(await backends.zookeeper(), root, 'first'),
    second: new ZookeeperEphemeralLock(await backends.zookeeper(), root, 'second'),
  };
});

describe('herd effect', () => {
  it('wakes one waiter per release with the sequential recipe, and many with the single-node one', async () => {
    const root = `/${uniqueName('herd')}`;
    const sessions = await Promise.all([1, 2, 3, 4, 5, 6].map(() => backends.zookeeper()));
    const sequential = sessions.map((session, i) => new ZookeeperSequentialLock(session, `${root}/seq`, `c${i}`));
    const single = sessions.map((session, i) => new ZookeeperEphemeralLock(session, `${root}/one`, `c${i}`));

    await contend(sequential, 'r', 60);
    await contend(single, 'r', 60);

    const perAcquisition = (locks: Array<{ stats: { acquisitions: number; watchNotifications: number } }>) =>
      locks.reduce((sum, lock) => sum + lock.stats.watchNotifications, 0) / locks.reduce((sum, lock) => sum + lock.stats.acquisitions, 0);
    expect(perAcquisition(sequential)).toBeLessThanOrEqual(1);
    expect(perAcquisition(single)).toBeGreaterThan(perAcquisition(sequential));
  });
});

describe('zookeeper-ephemeral watches', () => {
  it('sets one watch per change and process on the node, however many of its waiters wait on it', async () => {
    const session = await backends.zookeeper();
    const lock = new ZookeeperEphemeralLock(session, `/${uniqueName('one-watch')}`, 'one');
    // A spy that calls through: every read of the real server, and whether it set a watch.
    const reads = jest.spyOn(session.api(), 'getData');

    await contend([lock], 'r', 12);
    const watchedReads = reads.mock.calls.filter(([, watcher]) => watcher !== undefined).length;
    reads.mockRestore();

    // Each holder watches its own node (12). Per release, one shared read serves every waiter,
    // plus at most one more that finds the node released already (NO_NODE) when a release falls
    // between the waiters' failed creates and their read: 36 at most (23 in practice). A read per
    // waiter and release was 11 + 10 + ... + 1 = 66 on top of the 12.
    expect(watchedReads).toBeLessThanOrEqual(3 * 12);
    // Still a herd: every release woke every waiter left, which then raced for the node again.
    expect(lock.stats.watchNotifications).toBeGreaterThan(lock.stats.acquisitions);
  });
});

/** Another process takes `root/r` within 2 s, with a higher token: the rewritten node was not left behind. */
async function expectNextContenderIn(root: string, afterToken: number): Promise<void> {
  const next = new ZookeeperEphemeralLock(await backends.zookeeper(), root, 'next');
  const successor = await next.acquire('r', { waitMs: 2000, ttlMs: 1000 });
  expect(successor.token).toBeGreaterThan(afterToken);
  await successor.release();
}

/**
 * Runs `step` through the proxy with its next `request` answer held, and an operator's `set` of
 * `root/r` landing meanwhile: after the server did the request, before the client heard of it.
 */
async function setWhileHeld<T>(request: HoldableRequest, root: string, step: () => Promise<T>): Promise<T> {
  const held = proxy.holdNextAnswer(request);
  const running = step();
  const forward = await held;
  await (await backends.zookeeper()).api().setData(`${root}/r`, Buffer.from('rewritten'));
  forward();
  return running;
}

describe('zookeeper-ephemeral after an operator rewrites the lock node', () => {
  it("still lets its holder release it: the node is known by its creation, not by its data", async () => {
    const root = `/${uniqueName('rewritten')}`;
    const holder = new ZookeeperEphemeralLock(await backends.zookeeper(), root, 'holder');
    const lease = await holder.acquire('r', { waitMs: 1000, ttlMs: 1000 });
    // zkCli's `set` of the node: the marker the holder wrote into it is gone.
    await (await backends.zookeeper()).api().setData(`${root}/r`, Buffer.from('rewritten'));
    await lease.release();
    await expectNextContenderIn(root, lease.token as number);
  });

  // The marker is gone before the contender has read its node back: it used to take the node for
  // someone else's and wait on it, and the node stayed with its session, blocking the resource.
  it('lets a contender take the node it created even when the set lands before it read the node back', async () => {
    const root = `/${uniqueName('rewritten-early')}`;
    const contender = new ZookeeperEphemeralLock(await backends.zookeeper(proxy.connectString), root, 'contender');
    await (await contender.acquire('r', { waitMs: 1000, ttlMs: 1000 })).release(); // the folder exists: the next create is the lock node
    const lease = await setWhileHeld('create', root, () => contender.acquire('r', { waitMs: 2000, ttlMs: 1000 }));
    await lease.release();
    await expectNextContenderIn(root, lease.token as number);
  });

  // The release reads the node (its creation zxid says it is ours) and deletes it at the version it
  // read: a set in between made that delete fail, and the node stayed with the holder's session.
  it('releases the node even when the set lands between the release reading it and deleting it', async () => {
    const root = `/${uniqueName('rewritten-release')}`;
    const holder = new ZookeeperEphemeralLock(await backends.zookeeper(proxy.connectString), root, 'holder');
    const lease = await holder.acquire('r', { waitMs: 1000, ttlMs: 1000 });
    await setWhileHeld('getData', root, () => lease.release());
    await expectNextContenderIn(root, lease.token as number);
  });
});
