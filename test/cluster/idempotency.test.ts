import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { getJson, NodeApp } from '@app/cluster';
import { freePorts } from '@app/provisioning';
import { eventually } from '../support/backends';
import { serviceDir } from '../support/service-dirs';
import { ordersIssued } from '../order-service/support/http';
import { launchTestCluster, TestCluster } from './support/test-cluster';

// Idempotent POST /orders (DESIGN §1): under one Idempotency-Key a client gets at most one order
// number, whether it retries, sends the same request 50 times at once to three replicas, or the
// replica dies after issuing and before answering. Real processes from dist/ (`npm run build` first).

jest.setTimeout(180_000);

let testCluster: TestCluster;
let gateway: string;
let replicas: string[];

interface Keyed {
  status: number;
  text: string;
  json: Record<string, unknown>;
  replayed: string | null;
  retryAfter: string | null;
}

async function post(url: string, body: unknown, key?: string): Promise<Keyed> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== undefined) headers['idempotency-key'] = key;
  const response = await fetch(`${url}/orders`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    text,
    json: JSON.parse(text) as Record<string, unknown>,
    replayed: response.headers.get('idempotent-replayed'),
    retryAfter: response.headers.get('retry-after'),
  };
}

/** Numbers issued by the running replicas, from their own counters: independent of what clients saw. */
async function issuedTotal(): Promise<number> {
  const scrapes = await Promise.all(replicas.map(async (url) => (await fetch(`${url}/metrics`)).text()));
  return scrapes.reduce((sum, scrape) => sum + ordersIssued(scrape), 0);
}

let keys = 0;
const freshKey = (label: string): string => `${label}-${process.pid}-${++keys}`;

beforeAll(async () => {
  testCluster = await launchTestCluster('idempotency', 3, { ORDER_STRATEGY: 'redis' });
  gateway = testCluster.cluster.gatewayUrl;
  replicas = testCluster.cluster.state.replicas.map((replica) => replica.http);
});

afterAll(async () => {
  await testCluster?.stop();
});

describe.each([
  ['through the gateway', () => gateway],
  ['on a replica', () => replicas[0]],
])('%s', (_label, target) => {
  it('replays the identical body, status 201, with Idempotent-Replayed: true', async () => {
    const key = freshKey('replay');
    const first = await post(target(), { businessId: 1001 }, key);
    expect(first).toMatchObject({ status: 201, replayed: null });
    const issued = await issuedTotal();
    const again = await post(target(), { businessId: 1001 }, key);
    expect(again).toMatchObject({ status: 201, replayed: 'true' });
    expect(again.text).toBe(first.text);
    expect(await issuedTotal()).toBe(issued);
  });

  it('refuses the same key with a different body: 422 naming Idempotency-Key, nothing issued', async () => {
    const key = freshKey('other-body');
    expect((await post(target(), { businessId: 1001 }, key)).status).toBe(201);
    const issued = await issuedTotal();
    const sut = await post(target(), { businessId: 2001 }, key);
    expect(sut.status).toBe(422);
    expect(sut.json).toMatchObject({ statusCode: 422, message: expect.stringContaining('Idempotency-Key') });
    expect(await issuedTotal()).toBe(issued);
  });

  it.each([
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['not ASCII', 'clé'],
  ])('refuses a key that is %s: 400 naming the header', async (_what, key) => {
    const sut = await post(target(), { businessId: 1001 }, key);
    expect(sut.status).toBe(400);
    expect(sut.json).toMatchObject({ statusCode: 400, message: expect.stringContaining('Idempotency-Key') });
  });

  it('without a key, behaves as before: two requests, two numbers', async () => {
    const [a, b] = [await post(target(), { businessId: 1001 }), await post(target(), { businessId: 1001 })];
    expect([a.status, b.status, a.replayed, b.replayed]).toEqual([201, 201, null, null]);
    expect(a.json.orderNumber).not.toBe(b.json.orderNumber);
  });
});

it('50 concurrent requests with one key across three replicas issue exactly one number', async () => {
  const key = freshKey('concurrent');
  const issued = await issuedTotal();
  const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => post(replicas[i % replicas.length], { businessId: 3001 }, key)));
  const statuses = answers.map((answer) => answer.status);
  expect(statuses.filter((status) => status !== 201 && status !== 409)).toEqual([]);
  const numbers = new Set(answers.filter((answer) => answer.status === 201).map((answer) => answer.json.orderNumber));
  expect(numbers.size).toBe(1);
  for (const conflict of answers.filter((answer) => answer.status === 409)) expect(Number(conflict.retryAfter)).toBeGreaterThan(0);
  expect(await issuedTotal()).toBe(issued + 1);
});

it('a replica killed after issuing and before answering: the retry through the gateway yields the number it issued', async () => {
  const { cluster } = testCluster;
  const [httpPort, tcpPort] = await freePorts(2);
  const logs = serviceDir('logs');
  mkdirSync(logs, { recursive: true });
  // A fourth replica that issues, stores its answer under the key, and dies before sending it.
  const doomed = new NodeApp('doomed', 'order-service', join(logs, `doomed-${process.pid}.log`), {
    ...process.env,
    ZK_CONNECT: cluster.state.zookeeper,
    REDIS_URL: `redis://${cluster.state.redis}`,
    REPLICA_ID: 'doomed',
    HOST: '127.0.0.1',
    HTTP_PORT: String(httpPort),
    TCP_PORT: String(tcpPort),
    ORDER_STRATEGY: 'redis',
    LOG_LEVEL: 'warn',
    FAULT_KILL_BEFORE_ANSWER: 'on',
  });
  try {
    await doomed.start(`http://127.0.0.1:${httpPort}/health`, httpPort, 30_000);
    await eventually('the gateway lists the doomed replica', async () => {
      const { body } = await getJson(`${gateway}/replicas`);
      return JSON.stringify(body).includes('"doomed"');
    }, 15_000, 100);
    // Round-robin over four replicas: one of four consecutive keyed requests reaches it.
    const sent: { key: string; answer: Keyed }[] = [];
    for (let i = 0; i < 4 && !sent.some(({ answer }) => answer.json.replica === 'doomed'); i++) {
      const key = freshKey('doomed');
      sent.push({ key, answer: await post(gateway, { businessId: 4001 }, key) });
    }
    expect(sent.map(({ answer }) => answer.status)).toEqual(sent.map(() => 201));
    const fromDoomed = sent.find(({ answer }) => answer.json.replica === 'doomed');
    // It issued and died; the gateway sent the call once more, to a live replica, which replayed the stored answer.
    expect(fromDoomed?.answer).toMatchObject({
      replayed: 'true',
      json: { replica: 'doomed', orderNumber: expect.stringMatching(/^\d{25}$/) },
    });
    expect(doomed.running).toBe(false);
    // A client's own retry with that key later gets that very number again, and issues nothing.
    const issued = await issuedTotal();
    const retry = await post(gateway, { businessId: 4001 }, fromDoomed?.key);
    expect(retry).toMatchObject({ status: 201, replayed: 'true' });
    expect(retry.json.orderNumber).toBe(fromDoomed?.answer.json.orderNumber);
    expect(await issuedTotal()).toBe(issued);
  } finally {
    await doomed.stop(5000);
  }
});
