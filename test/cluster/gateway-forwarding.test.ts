import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ZookeeperSession } from '@app/zookeeper';
import { loadGatewayConfig } from '@app/contracts';
import { startGateway } from '../../apps/gateway/src/bootstrap';
import { freePorts } from '@app/provisioning';
import { waitUntil } from '@app/cluster';
import { FakeReplica } from './support/fake-replica';

// The gateway's forwarding rules against fake replicas (same TCP patterns and registry entries as
// the real order service), on the shared ZooKeeper: which failures are retried, which are not.

const RPC_TIMEOUT_MS = 600;
const zkRoot = `/gateway-forwarding-${process.pid}-${Date.now()}`;
let session: ZookeeperSession;
let gateway: NestFastifyApplication;
let url: string;
let ports: number[];
const fakes: FakeReplica[] = [];

async function post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function get(path: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(5_000) });
  return (await response.json()) as Record<string, unknown>;
}

async function replicaIds(): Promise<string[]> {
  const body = await get('/replicas');
  return (body.replicas as { id: string }[]).map((replica) => replica.id);
}

function waitForReplicas(ids: string[]): Promise<void> {
  return waitUntil(`gateway lists ${ids.join(', ')}`, 10_000, async () => JSON.stringify(await replicaIds()) === JSON.stringify(ids));
}

async function addFake(id: string, port: number, listening = true): Promise<FakeReplica> {
  const fake = await FakeReplica.start({ id, tcpPort: port, session, zkRoot, listening });
  fakes.push(fake);
  return fake;
}

beforeAll(async () => {
  const connect = process.env.TEST_ZK_CONNECT;
  if (!connect) throw new Error('TEST_ZK_CONNECT is not set: run through the integration project (global-setup.ts)');
  session = await ZookeeperSession.open({ connect, sessionTimeoutMs: 4000 });
  ports = await freePorts(6);
  const config = loadGatewayConfig({
    ZK_CONNECT: connect,
    ZK_ROOT: zkRoot,
    GATEWAY_PORT: String(ports[0]),
    RPC_TIMEOUT_MS: String(RPC_TIMEOUT_MS),
  });
  gateway = await startGateway(config, { silent: true });
  url = `http://127.0.0.1:${config.GATEWAY_PORT}`;
});

afterAll(async () => {
  await gateway?.close();
  await Promise.all(fakes.map((fake) => fake.close()));
  await session?.close();
});

describe('gateway forwarding', () => {
  it('answers 503 when no replica is registered (the registry path does not even exist)', async () => {
    const { status, body } = await post('/orders', { businessId: 1001 });
    expect(status).toBe(503);
    expect(body).toMatchObject({ statusCode: 503, message: 'no order-service replica registered' });
  });

  it('discovers replicas and spreads concurrent calls exactly round-robin', async () => {
    await addFake('fake-1', ports[1]);
    await addFake('fake-2', ports[2]);
    await addFake('fake-3', ports[3]);
    await waitForReplicas(['fake-1', 'fake-2', 'fake-3']);
    const results = await Promise.all(Array.from({ length: 300 }, () => post('/orders', { businessId: 1001 })));
    expect(results.map((result) => result.status)).toEqual(Array(300).fill(201));
    expect(results[0].body).toMatchObject({ strategy: 'fake', echo: { businessId: 1001 } });
    expect(results.every((result) => result.body.servedBy === result.body.replica)).toBe(true);
    expect(fakes.map((fake) => fake.received)).toEqual([100, 100, 100]);
    const { replicas } = (await get('/replicas')) as { replicas: { id: string; served: number; inFlight: number }[] };
    expect(replicas.map(({ id, served, inFlight }) => ({ id, served, inFlight }))).toEqual([
      { id: 'fake-1', served: 100, inFlight: 0 },
      { id: 'fake-2', served: 100, inFlight: 0 },
      { id: 'fake-3', served: 100, inFlight: 0 },
    ]);
  });

  it('forwards /baseline to orders.baseline', async () => {
    const { status, body } = await post('/baseline', {});
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true });
  });

  it("passes a replica's RpcException status and message through", async () => {
    for (const fake of fakes) fake.behaviour = 'reject';
    const { status, body } = await post('/orders', { businessId: 42 });
    expect(status).toBe(422);
    expect(body).toMatchObject({ statusCode: 422, message: 'businessId: not a registered business line', error: 'Unprocessable Entity' });
    for (const fake of fakes) fake.behaviour = 'ok';
  });

  it('answers 503 "fate unknown" when a replica does not answer in time, and does not retry', async () => {
    for (const fake of fakes) fake.behaviour = 'hang';
    const before = fakes.map((fake) => fake.received);
    const started = Date.now();
    const { status, body } = await post('/orders', { businessId: 1001 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(RPC_TIMEOUT_MS - 50);
    expect(status).toBe(503);
    expect(String(body.message)).toMatch(
      /^replica fake-\d did not answer: no answer within 600 ms; the order may or may not have been issued: retry with the same Idempotency-Key header/,
    );
    const after = fakes.map((fake) => fake.received);
    expect(after.reduce((a, b) => a + b, 0) - before.reduce((a, b) => a + b, 0)).toBe(1);
    for (const fake of fakes) fake.behaviour = 'ok';
  });

  it('retries once on the next replica when a registered replica refuses the connection', async () => {
    await addFake('fake-0-dead', ports[4], false);
    await waitForReplicas(['fake-0-dead', 'fake-1', 'fake-2', 'fake-3']);
    const results = await Promise.all(Array.from({ length: 40 }, () => post('/orders', { businessId: 1001 })));
    expect(results.map((result) => result.status)).toEqual(Array(40).fill(201));
    expect(results.some((result) => result.body.servedBy === 'fake-0-dead')).toBe(false);
  });

  it('answers 503 "nothing was sent" when neither the first choice nor the retry connects', async () => {
    await addFake('fake-00-dead', ports[5], false);
    for (const fake of fakes.filter((fake) => !fake.id.includes('dead'))) await fake.deregister(session);
    await waitForReplicas(['fake-0-dead', 'fake-00-dead']);
    const { status, body } = await post('/orders', { businessId: 1001 });
    expect(status).toBe(503);
    expect(String(body.message)).toMatch(
      /^no order-service replica reachable: fake-0+-dead \(ECONNREFUSED\), fake-0+-dead \(ECONNREFUSED\); nothing was sent$/,
    );
  });

  it('reports ZooKeeper, the replica count and the master on /health', async () => {
    const health = await get('/health');
    expect(health).toMatchObject({ status: 'up', replicas: 2, master: null, zookeeper: { session: 'connected' } });
    expect((health.zookeeper as { servers: { mode?: string }[] }).servers[0].mode).toBe('standalone');
  });
});
