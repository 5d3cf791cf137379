import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ZookeeperSession } from '@app/zookeeper';
import { loadGatewayConfig, ZnodeView, ZookeeperPaths } from '@app/contracts';
import { startGateway } from '../../apps/gateway/src/bootstrap';
import { freePorts } from '@app/provisioning';

// The console's endpoints on an in-process gateway over the shared ZooKeeper, under a root of
// this suite's own: decoding a number, the version-checked znode writes, the config editor.

const zkRoot = `/console-endpoints-${process.pid}-${Date.now()}`;
const paths = new ZookeeperPaths(zkRoot);
const validConfig = { strategy: 'redis', businessLines: [1001], lockTtlMs: 500, lockFencing: true };
let session: ZookeeperSession;
let gateway: NestFastifyApplication;
let url: string;

interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

async function nodeData(path: string): Promise<{ data: string; version: number }> {
  const { data, stat } = await session.api().getData(path);
  return { data: data?.toString('utf8') ?? '', version: stat.version };
}

beforeAll(async () => {
  const connect = process.env.TEST_ZK_CONNECT;
  if (!connect) throw new Error('TEST_ZK_CONNECT is not set: run through the integration project (global-setup.ts)');
  session = await ZookeeperSession.open({ connect, sessionTimeoutMs: 4000 });
  await session.api().mkdirp(`${zkRoot}/config`);
  await session.api().create(paths.config, Buffer.from(JSON.stringify(validConfig)), 0);
  const [port] = await freePorts(1);
  const config = loadGatewayConfig({ ZK_CONNECT: connect, ZK_ROOT: zkRoot, GATEWAY_PORT: String(port) });
  gateway = await startGateway(config, { silent: true });
  url = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await gateway?.close();
  await session?.close();
});

describe('GET /orders/:orderNumber/decode', () => {
  it('answers the parts, the suffix read both ways', async () => {
    const { status, body } = await call('GET', '/orders/2026112518070167610010742/decode');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      time: { digits: '20261125180701676', iso: '2026-11-25T18:07:01.676Z' },
      businessId: 1001,
      suffix: { ledgerSequence: 742, snowflake: { workerId: 7, sequence: 42 } },
    });
  });

  it.each([
    ['202611251807016761001074', 'not a 25-digit order number'],
    ['2026112518070167610010a42', 'not a 25-digit order number'],
    ['2026023018070167610010742', 'impossible timestamp'],
    ['2026112525070167610010742', 'impossible timestamp'],
  ])('answers 400 naming orderNumber for %p', async (orderNumber, reason) => {
    const { status, body } = await call('GET', `/orders/${orderNumber}/decode`);
    expect(status).toBe(400);
    expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(String(body.message)).toMatch(new RegExp(`^orderNumber: .*${reason}`));
  });
});

describe('znode writes: POST, PUT and DELETE /zookeeper/nodes', () => {
  it('creates, sets with the version read, and refuses a stale version with 409 naming the current one', async () => {
    const path = `${zkRoot}/notes`;
    const created = await call<ZnodeView>('POST', '/zookeeper/nodes', { path, data: '{"a":1}' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ path, data: { a: 1 }, stat: { version: 0 } });

    const set = await call<ZnodeView>('PUT', '/zookeeper/nodes', { path, data: 'second', version: 0 });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ data: 'second', stat: { version: 1 } });

    const stale = await call('PUT', '/zookeeper/nodes', { path, data: 'third', version: 0 });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ statusCode: 409, path, currentVersion: 1, message: `${path}: version 0 is stale` });
    expect(await nodeData(path)).toEqual({ data: 'second', version: 1 });

    const again = await call('POST', '/zookeeper/nodes', { path, data: 'x' });
    expect(again).toMatchObject({ status: 409, body: { message: `${path}: already exists` } });
  });

  it('deletes with the version check, and refuses a node with children', async () => {
    const parent = `${zkRoot}/doomed`;
    await call('POST', '/zookeeper/nodes', { path: parent });
    await call('POST', '/zookeeper/nodes', { path: `${parent}/child` });
    expect((await call('DELETE', `/zookeeper/nodes?path=${encodeURIComponent(parent)}`)).status).toBe(409);

    const stale = await call('DELETE', `/zookeeper/nodes?path=${encodeURIComponent(`${parent}/child`)}&version=3`);
    expect(stale).toMatchObject({ status: 409, body: { currentVersion: 0 } });
    expect((await call('DELETE', `/zookeeper/nodes?path=${encodeURIComponent(`${parent}/child`)}&version=0`)).status).toBe(204);
    expect((await call('DELETE', `/zookeeper/nodes?path=${encodeURIComponent(parent)}`)).status).toBe(204);
    expect(await session.api().exists(parent)).toBeNull();
    expect((await call('DELETE', `/zookeeper/nodes?path=${encodeURIComponent(parent)}`)).status).toBe(404);
  });

  it.each([
    ['POST', { path: '/elsewhere' }],
    ['POST', { path: zkRoot }],
    ['PUT', { path: '/zookeeper/quota', data: 'x' }],
    ['PUT', { path: `${zkRoot}-sibling/x`, data: 'x' }],
  ])('answers 403 to %s outside ZK_ROOT (%j)', async (method, body) => {
    const { status, body: answer } = await call(method, '/zookeeper/nodes', body);
    expect(status).toBe(403);
    expect(answer).toMatchObject({ statusCode: 403, error: 'Forbidden', root: zkRoot });
  });

  it('answers 403 to a DELETE outside ZK_ROOT and leaves the node', async () => {
    expect((await call('DELETE', '/zookeeper/nodes?path=%2Fzookeeper')).status).toBe(403);
    expect(await session.api().exists('/zookeeper')).not.toBeNull();
  });

  it.each([
    [{ path: 'relative', data: '' }, 'path'],
    [{ path: `${zkRoot}/x`, data: 5 }, 'data'],
    [{ path: `${zkRoot}/x`, version: 'one' }, 'version'],
    [{ path: `${zkRoot}/x`, mode: 'ephemeral' }, 'body'],
  ])('answers 400 to the body %j naming %s', async (body, field) => {
    const { status, body: answer } = await call('PUT', '/zookeeper/nodes', body);
    expect(status).toBe(400);
    expect(String(answer.message)).toMatch(new RegExp(`^(${field}|Unrecognized key)`));
  });
});

describe('the config editor: GET and PUT /config', () => {
  it('reads the node with its version as ETag, and merges a patch compare-and-set', async () => {
    const read = await call('GET', '/config');
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ path: paths.config, data: validConfig, valid: { ok: true } });
    const version = read.body.version as number;
    expect(read.headers.get('etag')).toBe(`"${version}"`);

    const patched = await call('PUT', '/config', { strategy: 'snowflake' }, { 'if-match': String(version) });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ version: version + 1, data: { ...validConfig, strategy: 'snowflake' } });
    expect(JSON.parse((await nodeData(paths.config)).data)).toEqual({ ...validConfig, strategy: 'snowflake' });

    const stale = await call('PUT', '/config', { strategy: 'redis' }, { 'if-match': `"${version}"` });
    expect(stale).toMatchObject({ status: 412, body: { statusCode: 412, expectedVersion: version, currentVersion: version + 1 } });
    expect(JSON.parse((await nodeData(paths.config)).data).strategy).toBe('snowflake');
  });

  it('refuses with 422 what the replicas schema refuses, and writes nothing', async () => {
    const before = await nodeData(paths.config);
    const refused = await call('PUT', '/config', { strategy: 'zookeper', lockTtlMs: null });
    expect(refused.status).toBe(422);
    expect(String(refused.body.message)).toContain('strategy: must be one of');
    expect(String(refused.body.message)).toContain('lockTtlMs');
    expect(await nodeData(paths.config)).toEqual(before);
    expect((await call('PUT', '/config', [1])).status).toBe(400);
    expect((await call('PUT', '/config', {}, { 'if-match': 'soon' })).status).toBe(400);
  });
});
