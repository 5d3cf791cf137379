import { ZookeeperEphemeralLock, ZookeeperSequentialLock } from '@app/locks';
import { LeaderElection, parseConnectString } from '@app/zookeeper';
import { eventually, requireEnv, uniqueName, useBackends } from '../support/backends';
import { ZookeeperProxy } from '../support/zookeeper-proxy';

const backends = useBackends();
let proxy: ZookeeperProxy;

beforeAll(async () => {
  const [server] = parseConnectString(requireEnv('TEST_ZK_CONNECT'));
  proxy = await ZookeeperProxy.start(server);
});
afterAll(() => proxy.close());

/** Whether `lock` can take and give back `resource` right now. */
async function canAcquire(lock: ZookeeperEphemeralLock | ZookeeperSequentialLock, resource: string): Promise<boolean> {
  try {
    const lease = await lock.acquire(resource, { waitMs: 300, ttlMs: 1000 });
    await lease.release();
    return true;
  } catch {
    return false;
  }
}

// A create applied by the server whose answer is lost with the connection: node-zookeeper-client
// re-sends it after reconnecting to the same session, so it runs twice (a twin, or NODE_EXISTS on
// our own node). The session lives on, and so would an orphan node nobody knows it holds.
describe('a create whose answer is lost with the connection leaves no orphan', () => {
  it.each([
    ['zookeeper-ephemeral', ZookeeperEphemeralLock],
    ['zookeeper', ZookeeperSequentialLock],
  ])('%s: the resource is free again for everyone', async (_kind, Lock) => {
    const root = `/${uniqueName('lost-reply')}`;
    const victim = new Lock(await backends.zookeeper(proxy.connectString), root, 'victim');
    const other = new Lock(await backends.zookeeper(), root, 'other');
    expect(await canAcquire(victim, 'r')).toBe(true); // the folders exist: the next create is the lock node

    const cut = proxy.cutAfterNextCreate();
    const attempt = victim.acquire('r', { waitMs: 3000, ttlMs: 1000 }).then(
      (lease) => lease.release(),
      () => undefined, // refused (session suspended by the cut): what matters is what it leaves behind
    );
    await cut;
    await attempt;

    await eventually('another session to take the lock', () => canAcquire(other, 'r'), 6000);
    await eventually('the victim to take it again', () => canAcquire(victim, 'r'), 6000);
  });

  it('election: the candidate leads, with no twin of its own ahead of it', async () => {
    const path = `/${uniqueName('lost-reply-election')}`;
    const observer = await backends.zookeeper();
    await observer.api().mkdirp(path); // so that the next create is the candidate's node
    const session = await backends.zookeeper(proxy.connectString);
    const sut = new LeaderElection(session, path, 'victim');
    const cut = proxy.cutAfterNextCreate();
    sut.start();
    await cut;
    try {
      await eventually('the only candidate to lead', () => sut.isLeader, 6000);
      await eventually('one candidate node, not two', async () => (await observer.api().getChildren(path)).length === 1, 6000);
    } finally {
      await sut.close();
    }
  });
});
