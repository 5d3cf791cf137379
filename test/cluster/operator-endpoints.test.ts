import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CreateMode } from 'node-zookeeper-client';
import { ZookeeperSession, ZookeeperUnavailableError } from '@app/zookeeper';
import { loadGatewayConfig, ZnodeView, ZookeeperPaths } from '@app/contracts';
import { startGateway } from '../../apps/gateway/src/bootstrap';
import { FourLetterWordRelay } from '../../apps/gateway/src/operators/four-letter-words.service';
import { ZnodeTreeReader } from '../../apps/gateway/src/operators/znode-tree.service';
import { freePorts } from '@app/provisioning';

// The operator endpoints (four-letter words, tree browser) of an in-process gateway on the shared
// ZooKeeper, over nodes this suite writes under its own root.

const zkRoot = `/operator-endpoints-${process.pid}-${Date.now()}`;
let connect: string;
let session: ZookeeperSession;
let gateway: NestFastifyApplication;
let url: string;

interface Answer<T> {
  status: number;
  body: T;
}

async function get<T = Record<string, unknown>>(path: string): Promise<Answer<T>> {
  const response = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: (await response.json()) as T };
}

function tree(path: string, depth?: number): Promise<Answer<ZnodeView & { truncated?: boolean }>> {
  return get(`/zookeeper/tree?path=${encodeURIComponent(path)}${depth === undefined ? '' : `&depth=${depth}`}`);
}

function child(node: ZnodeView, name: string): ZnodeView {
  const found = node.children?.find((candidate) => candidate.path === `${node.path}/${name}`);
  if (!found) throw new Error(`${node.path} has no child ${name} in ${JSON.stringify(node.children?.map((c) => c.path))}`);
  return found;
}

async function write(path: string, data: string, mode = CreateMode.PERSISTENT): Promise<void> {
  await session.api().mkdirp(path.slice(0, path.lastIndexOf('/')));
  await session.api().create(path, Buffer.from(data), mode);
}

beforeAll(async () => {
  const env = process.env.TEST_ZK_CONNECT;
  if (!env) throw new Error('TEST_ZK_CONNECT is not set: run through the integration project (global-setup.ts)');
  connect = env;
  session = await ZookeeperSession.open({ connect, sessionTimeoutMs: 4000 });
  await write(new ZookeeperPaths(zkRoot).config, JSON.stringify({ strategy: 'zk-lock', poolSize: 100 }));
  await write(
    new ZookeeperPaths(zkRoot).registryEntry('replica-1'),
    JSON.stringify({ host: '127.0.0.1', port: 4001 }),
    CreateMode.EPHEMERAL,
  );
  await write(`${zkRoot}/notes`, 'plain text, not JSON');
  await write(`${zkRoot}/deep/a/b/c/d/e`, 'six levels below the root');
  const [port] = await freePorts(1);
  const config = loadGatewayConfig({ ZK_CONNECT: connect, ZK_ROOT: zkRoot, GATEWAY_PORT: String(port) });
  gateway = await startGateway(config, { silent: true });
  url = `http://127.0.0.1:${config.GATEWAY_PORT}`;
});

afterAll(async () => {
  await gateway?.close();
  await session?.close();
});

describe('GET /zookeeper/tree', () => {
  it('shows the subtree with parsed JSON data, text data and the ephemeral flag', async () => {
    const { status, body } = await tree(zkRoot, 3);
    expect(status).toBe(200);
    expect(body.truncated).toBeUndefined();
    expect(body.children?.map((node) => node.path)).toEqual(['config', 'deep', 'notes', 'services'].map((name) => `${zkRoot}/${name}`));

    const config = child(child(body, 'config'), 'order-service');
    expect(config.data).toEqual({ strategy: 'zk-lock', poolSize: 100 });
    expect(config.stat).toMatchObject({ version: 0, numChildren: 0, ephemeral: false, ephemeralOwner: null });
    expect(config.children).toEqual([]);
    expect(Date.parse(config.stat.ctime)).toBeGreaterThan(Date.now() - 120_000);
    expect(config.stat.mtime).toBe(config.stat.ctime);

    const replica = child(child(child(body, 'services'), 'order-service'), 'replica-1');
    expect(replica.data).toEqual({ host: '127.0.0.1', port: 4001 });
    // ZooKeeper prints session ids (cons, wchc) as 0x and hex without leading zeros.
    expect(replica.stat).toMatchObject({ ephemeral: true, ephemeralOwner: `0x${BigInt(`0x${session.sessionId}`).toString(16)}` });

    expect(child(body, 'notes').data).toBe('plain text, not JSON');
    expect(body.data).toBeNull();
  });

  it('stops at the requested depth, default 2 and at most 5', async () => {
    const deep = `${zkRoot}/deep`;
    const one = await tree(deep, 1);
    expect(one.status).toBe(200);
    expect(child(one.body, 'a').children).toBeUndefined();
    expect(child(one.body, 'a').stat.numChildren).toBe(1);

    const byDefault = await tree(deep);
    expect(child(child(byDefault.body, 'a'), 'b').children).toBeUndefined();

    const zero = await tree(deep, 0);
    expect(zero.body.children).toBeUndefined();
    expect(zero.body.stat.numChildren).toBe(1);

    const five = await tree(deep, 5);
    const e = child(child(child(child(child(five.body, 'a'), 'b'), 'c'), 'd'), 'e');
    expect(e).toMatchObject({ path: `${deep}/a/b/c/d/e`, data: 'six levels below the root', stat: { numChildren: 0 } });
    expect(e.children).toBeUndefined(); // at the limit: not expanded, whatever it holds

    for (const depth of ['6', '-1', 'two', '1.5']) {
      const refused = await get(`/zookeeper/tree?path=${encodeURIComponent(deep)}&depth=${depth}`);
      expect(refused).toMatchObject({ status: 400, body: { statusCode: 400, error: 'Bad Request' } });
      expect(String(refused.body.message)).toContain('from 0 to 5');
    }
  });

  it('reads the gateway ZK_ROOT when no path is given', async () => {
    const { status, body } = await get<ZnodeView>('/zookeeper/tree?depth=0');
    expect(status).toBe(200);
    expect(body.path).toBe(zkRoot);
  });

  it('answers 404 naming a missing path', async () => {
    const missing = `${zkRoot}/no/such/node`;
    const { status, body } = await get(`/zookeeper/tree?path=${encodeURIComponent(missing)}`);
    expect(status).toBe(404);
    expect(body).toMatchObject({ statusCode: 404, error: 'Not Found', message: `znode ${missing} does not exist` });
  });

  it.each(['ordernum', '', '/ordernum/', '//ordernum', '/a//b', '/a/../b', '/a/.'])('answers 400 for the path %p', async (path) => {
    const { status, body } = await get(`/zookeeper/tree?path=${encodeURIComponent(path)}`);
    expect(status).toBe(400);
    expect(String(body.message)).toContain(`path ${JSON.stringify(path)}: must be an absolute znode path`);
  });

  it('stops at 500 nodes and says so', async () => {
    const wide = `${zkRoot}/wide`;
    await session.api().mkdirp(wide);
    await Promise.all(
      Array.from({ length: 520 }, (_, i) =>
        session.api().create(`${wide}/n${String(i).padStart(3, '0')}`, Buffer.alloc(0), CreateMode.PERSISTENT),
      ),
    );
    const { status, body } = await tree(wide, 1);
    expect(status).toBe(200);
    expect(body.truncated).toBe(true);
    expect(body.children).toHaveLength(499);
    expect(body.stat.numChildren).toBe(520);
  });

  it('fails with ZookeeperUnavailableError (the filter sends 503) when its session is not connected', async () => {
    const closed = await ZookeeperSession.open({ connect, sessionTimeoutMs: 4000 });
    await closed.close();
    await expect(new ZnodeTreeReader(closed).read(zkRoot, 1)).rejects.toThrow(ZookeeperUnavailableError);
  });
});

describe('GET /zookeeper/four-letter-words/:word', () => {
  it('relays mntr and srvr from every server', async () => {
    const mntr = await get<{ word: string; servers: { server: string; reply?: string }[] }>('/zookeeper/four-letter-words/mntr');
    expect(mntr.status).toBe(200);
    expect(mntr.body.word).toBe('mntr');
    expect(mntr.body.servers.map((server) => server.server)).toEqual([connect]);
    expect(mntr.body.servers[0].reply).toContain('zk_version');

    const srvr = await get<{ servers: { reply?: string }[] }>('/zookeeper/four-letter-words/srvr');
    expect(srvr.body.servers[0].reply).toContain('Mode:');
  });

  it.each(['crst', 'srst', 'kill', 'MNTR', 'hello'])('answers 400 listing the allowed words for %p', async (word) => {
    const { status, body } = await get(`/zookeeper/four-letter-words/${word}`);
    expect(status).toBe(400);
    expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(String(body.message)).toContain(`'${word}' is not allowed; allowed: srvr, stat, mntr, cons`);
  });

  it('reports an unreachable server per server instead of failing', async () => {
    const [deadPort] = await freePorts(1);
    const relay = new FourLetterWordRelay(loadGatewayConfig({ ZK_CONNECT: `${connect},127.0.0.1:${deadPort}` }));
    const { servers } = await relay.ask('ruok');
    expect(servers[0]).toEqual({ server: connect, reply: 'imok' });
    expect(servers[1]).toMatchObject({ server: `127.0.0.1:${deadPort}` });
    expect((servers[1] as { error: string }).error).toContain('refused');
  });
});
