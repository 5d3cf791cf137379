import { CreateMode } from 'node-zookeeper-client';
import { ServiceDiscovery, ServiceInstance, ZookeeperSession } from '@app/zookeeper';
import { waitUntil } from '@app/cluster';
import { usePrivateServices } from '../support/services';

// ServiceDiscovery against a real ZooKeeper: absent parent, bursts, bad data, and watches that
// must be re-armed after the session is lost.

jest.setTimeout(60_000);

interface Address {
  port: number;
}

const parse = (json: unknown): Address => {
  const port = (json as Partial<Address> | null)?.port;
  if (typeof port !== 'number') throw new TypeError('no port');
  return { port };
};

const sessions: ZookeeperSession[] = [];
const discoveries: ServiceDiscovery<Address>[] = [];

async function open(connect: string, sessionTimeoutMs = 4000): Promise<ZookeeperSession> {
  const session = await ZookeeperSession.open({ connect, sessionTimeoutMs });
  sessions.push(session);
  return session;
}

async function discover(session: ZookeeperSession, path: string): Promise<ServiceDiscovery<Address>> {
  const sut = new ServiceDiscovery<Address>({ session, path, parse });
  discoveries.push(sut);
  await sut.start();
  return sut;
}

const ids = (instances: readonly ServiceInstance<Address>[]): string[] => instances.map((instance) => instance.id);

function waitForIds(sut: ServiceDiscovery<Address>, expected: string[], timeoutMs = 10_000): Promise<void> {
  return waitUntil(
    `instances ${expected.join(',')}`,
    timeoutMs,
    async () => JSON.stringify(ids(sut.instances)) === JSON.stringify(expected),
  );
}

afterEach(async () => {
  for (const sut of discoveries.splice(0)) sut.stop();
  await Promise.all(sessions.splice(0).map((session) => session.close()));
});

describe('ServiceDiscovery', () => {
  const root = `/discovery-${process.pid}-${Date.now()}`;
  const connect = (): string => {
    const value = process.env.TEST_ZK_CONNECT;
    if (!value) throw new Error('TEST_ZK_CONNECT is not set: run through the integration project');
    return value;
  };

  it('waits for a parent that does not exist yet, then follows its children', async () => {
    const path = `${root}/a/services`;
    const sut = await discover(await open(connect()), path);
    expect(sut.instances).toEqual([]);
    const writer = (await open(connect())).api();
    const changes: string[][] = [];
    sut.on('change', (instances) => changes.push(ids(instances)));
    await writer.mkdirp(path);
    await writer.create(`${path}/b`, Buffer.from('{"port":2}'), CreateMode.PERSISTENT);
    await writer.create(`${path}/a`, Buffer.from('{"port":1}'), CreateMode.PERSISTENT);
    await waitForIds(sut, ['a', 'b']);
    expect(sut.instances).toEqual([
      { id: 'a', data: { port: 1 } },
      { id: 'b', data: { port: 2 } },
    ]);
    await writer.remove(`${path}/a`);
    await waitForIds(sut, ['b']);
    expect(changes.at(-1)).toEqual(['b']);
  });

  it('misses no change in a burst and skips children whose data is not valid', async () => {
    const path = `${root}/burst`;
    const writer = (await open(connect())).api();
    await writer.mkdirp(path);
    const sut = await discover(await open(connect()), path);
    const names = Array.from({ length: 30 }, (_, i) => `n${String(i).padStart(2, '0')}`);
    await Promise.all(
      names.map((name, i) => writer.create(`${path}/${name}`, Buffer.from(JSON.stringify({ port: i })), CreateMode.PERSISTENT)),
    );
    await writer.create(`${path}/garbage`, Buffer.from('not json'), CreateMode.PERSISTENT);
    await writer.create(`${path}/foreign`, Buffer.from('{"other":true}'), CreateMode.PERSISTENT);
    await Promise.all(names.filter((_, i) => i % 3 === 0).map((name) => writer.remove(`${path}/${name}`)));
    await waitForIds(sut, names.filter((_, i) => i % 3 !== 0));
  });

  describe('on a private server', () => {
    const services = usePrivateServices();

    it('re-arms its watch after the session expired and a new one began', async () => {
      const zookeeper = await services.zookeeper({ tickTimeMs: 200 });
      const path = '/expiry/services';
      const writer = await open(zookeeper.connectString, 1500);
      await writer.api().mkdirp(path);
      const watching = await open(zookeeper.connectString, 1500);
      const sut = await discover(watching, path);
      const newSession = new Promise<void>((resolve) => watching.once('session', () => resolve()));
      // Frozen past the session timeout: both sessions expire, and each ZookeeperSession builds a new one.
      zookeeper.pause();
      await new Promise((resolve) => setTimeout(resolve, 4000));
      zookeeper.resume();
      await newSession;
      await waitUntil('writer has a new session', 10_000, async () => writer.state === 'connected');
      await writer.api().create(`${path}/late`, Buffer.from('{"port":9}'), CreateMode.PERSISTENT);
      await waitForIds(sut, ['late']);
    });
  });
});
