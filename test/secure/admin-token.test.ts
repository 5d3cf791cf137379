import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ZookeeperSession } from '@app/zookeeper';
import { loadGatewayConfig, ZookeeperPaths } from '@app/contracts';
import { freePorts } from '@app/provisioning';
import { startGateway } from '../../apps/gateway/src/bootstrap';

// ADMIN_TOKEN on an in-process gateway over the shared ZooKeeper (its tree under a root of this
// suite's own, with digest ACLs): every protected write without a token, with a wrong one and
// with the right one; what stays open stays open.

const TOKEN = 'admin-token-for-this-suite-0123';
const ZK_AUTH = 'ordernum:suite-secret';
const zkRoot = `/admin-token-${process.pid}-${Date.now()}`;
const paths = new ZookeeperPaths(zkRoot);
const validConfig = { strategy: 'redis', businessLines: [1001], lockTtlMs: 500, lockFencing: true };
let session: ZookeeperSession;
let gateway: NestFastifyApplication;
let url: string;

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> | undefined;
}

const RIGHT = { authorization: `Bearer ${TOKEN}` };
const WRONG = { authorization: `Bearer ${TOKEN.slice(0, -1)}x` };

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> | undefined;
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    parsed = undefined; // the console page and SSE are not JSON: the status answers
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

beforeAll(async () => {
  const connect = process.env.TEST_ZK_CONNECT;
  if (!connect) throw new Error('TEST_ZK_CONNECT is not set: run through the integration project (global-setup.ts)');
  const [user, password] = ZK_AUTH.split(':');
  session = await ZookeeperSession.open({ connect, sessionTimeoutMs: 4000, auth: { user, password } });
  await session.api().mkdirp(`${zkRoot}/config`);
  await session.api().create(paths.config, Buffer.from(JSON.stringify(validConfig)), 0);
  const [port] = await freePorts(1);
  const config = loadGatewayConfig({ ZK_CONNECT: connect, ZK_ROOT: zkRoot, GATEWAY_PORT: String(port), ADMIN_TOKEN: TOKEN, ZK_AUTH });
  gateway = await startGateway(config, { silent: true });
  url = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await gateway?.close();
  await session?.close();
});

/** Each protected write, as a request with and without credentials, and the status the right token gets. */
const WRITES: Array<[string, () => [string, string, unknown], number]> = [
  ['create a node', () => ['POST', '/zookeeper/nodes', { path: `${zkRoot}/created-${Date.now()}-${Math.random()}`, data: 'x' }], 201],
  ['set a node', () => ['PUT', '/zookeeper/nodes', { path: paths.config, data: JSON.stringify(validConfig) }], 200],
  ['patch the config', () => ['PUT', '/config', { lockTtlMs: 600 }], 200],
];

describe('protected writes', () => {
  it.each(WRITES)('%s: 401 without a token, 401 with a wrong one, done with the right one', async (_name, request, okStatus) => {
    const [method, path, body] = request();
    const none = await call(method, path, body);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="ordernum"');
    expect(none.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', message: expect.stringMatching(/needs the operator token/) });
    const wrong = await call(method, path, body, WRONG);
    expect(wrong.status).toBe(401);
    expect(wrong.body?.message).toMatch(/not this gateway's ADMIN_TOKEN/);
    expect((await call(method, path, body, RIGHT)).status).toBe(okStatus);
  });

  it('delete a node: 401 without a token, 401 with a wrong one, 204 with the right one', async () => {
    const path = `${zkRoot}/to-delete`;
    await session.api().create(path, Buffer.from('x'), 0);
    const query = `/zookeeper/nodes?path=${encodeURIComponent(path)}`;
    expect((await call('DELETE', query)).status).toBe(401);
    expect((await call('DELETE', query, undefined, WRONG)).status).toBe(401);
    expect(await session.api().exists(path)).not.toBeNull();
    expect((await call('DELETE', query, undefined, RIGHT)).status).toBe(204);
    expect(await session.api().exists(path)).toBeNull();
  });

  it('checks the token before the request: 401, not 400, for a bad body or malformed JSON', async () => {
    expect((await call('PUT', '/config', [1, 2])).status).toBe(401);
    expect((await call('POST', '/zookeeper/nodes', '{"path": ')).status).toBe(401);
    expect((await call('PUT', '/config', [1, 2], RIGHT)).status).toBe(400);
    expect((await call('POST', '/zookeeper/nodes', '{"path": ', RIGHT)).status).toBe(400);
  });

  it('refuses a write outside ZK_ROOT with 403, even with the token', async () => {
    const answer = await call('POST', '/zookeeper/nodes', { path: '/elsewhere', data: 'x' }, RIGHT);
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ path: '/elsewhere', root: zkRoot });
  });

  it('answers a stale If-Match with 412, and writes nothing', async () => {
    const before = (await session.api().getData(paths.config)).stat.version;
    const answer = await call('PUT', '/config', { lockTtlMs: 700 }, { ...RIGHT, 'if-match': String(before + 5) });
    expect(answer.status).toBe(412);
    expect(answer.body).toMatchObject({ expectedVersion: before + 5, currentVersion: before });
    expect((await session.api().getData(paths.config)).stat.version).toBe(before);
  });

  it('writes nodes the world may read but not change (the gateway authenticates with ZK_AUTH)', async () => {
    const path = `${zkRoot}/acl-check`;
    expect((await call('POST', '/zookeeper/nodes', { path, data: 'x' }, RIGHT)).status).toBe(201);
    const open = await ZookeeperSession.open({ connect: process.env.TEST_ZK_CONNECT ?? '', sessionTimeoutMs: 4000 });
    try {
      expect((await open.api().getData(path)).data?.toString()).toBe('x');
      await expect(open.api().setData(path, Buffer.from('y'))).rejects.toMatchObject({ codeName: 'NO_AUTH' });
      await expect(open.api().remove(path)).rejects.toMatchObject({ codeName: 'NO_AUTH' });
    } finally {
      await open.close();
    }
  });
});

describe('reads that expose servers, clients or other trees', () => {
  it.each(['envi', 'cons', 'wchp', 'stat'])('four-letter word %s takes the token', async (word) => {
    expect((await call('GET', `/zookeeper/four-letter-words/${word}`)).status).toBe(401);
    expect((await call('GET', `/zookeeper/four-letter-words/${word}`, undefined, WRONG)).status).toBe(401);
    const answer = await call('GET', `/zookeeper/four-letter-words/${word}`, undefined, RIGHT);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ word });
  });

  it('srvr and ruok stay open', async () => {
    expect((await call('GET', '/zookeeper/four-letter-words/srvr')).status).toBe(200);
    expect((await call('GET', '/zookeeper/four-letter-words/ruok')).status).toBe(200);
  });

  it('the tree under ZK_ROOT is open; outside it takes the token (reads and watches)', async () => {
    expect((await call('GET', `/zookeeper/tree?path=${encodeURIComponent(zkRoot)}&depth=1`)).status).toBe(200);
    expect((await call('GET', '/zookeeper/tree?path=/&depth=1')).status).toBe(401);
    expect((await call('GET', '/zookeeper/tree?path=/&depth=1', undefined, WRONG)).status).toBe(401);
    expect((await call('GET', '/zookeeper/tree?path=/&depth=1', undefined, RIGHT)).status).toBe(200);
    expect((await call('GET', '/zookeeper/watch?path=/zookeeper')).status).toBe(401);
  });
});

describe('what stays open', () => {
  it.each([
    ['GET', '/'],
    ['GET', '/health'],
    ['GET', '/config'],
    ['GET', '/orders/2026112518070167610010742/decode'],
  ])('%s %s answers without a token', async (method, path) => {
    const answer = await call(method, path);
    expect(answer.status).toBe(200);
  });

  it.each(['/orders', '/baseline'])('POST %s is never asked for a token', async (path) => {
    const answer = await call('POST', path, { businessId: 1001 });
    expect(answer.status).not.toBe(401);
  });
});
