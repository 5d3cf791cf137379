import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startOrderService } from '../apps/order-service/src/bootstrap';
import { loadOrderServiceConfig } from '@app/contracts';
import { NodeApp } from '@app/cluster';
import { freePorts } from '@app/provisioning';
import { requireEnv, uniqueName } from './support/backends';
import { serviceDir } from './support/service-dirs';

// Fastify rejects some requests before any route runs (a body that is not JSON, a content type
// nobody parses, a body over the limit). Both apps must still answer those as the JSON
// `{statusCode, error, message}` every other error gets, not as Fastify's text/plain.

const name = uniqueName('json-errors');
let orderService: NestFastifyApplication;
let gateway: NodeApp | undefined;
const urls: Record<'order-service' | 'gateway', string> = { 'order-service': '', gateway: '' };

beforeAll(async () => {
  const [httpPort, tcpPort, gatewayPort] = await freePorts(3);
  const env = { ZK_CONNECT: requireEnv('TEST_ZK_CONNECT'), ZK_ROOT: `/${name}`, LOG_LEVEL: 'error' };
  orderService = await startOrderService(loadOrderServiceConfig({
    ...env,
    REDIS_URL: requireEnv('TEST_REDIS_URL'),
    REDIS_PREFIX: `${name}:`,
    HTTP_PORT: String(httpPort),
    TCP_PORT: String(tcpPort),
    REPLICA_ID: 'json-1',
    ORDER_STRATEGY: 'local',
  }));
  urls['order-service'] = `http://127.0.0.1:${httpPort}`;

  // The gateway's main.ts starts on import, so it runs as the compiled process it is in production.
  NodeApp.assertBuilt('gateway');
  mkdirSync(serviceDir('logs'), { recursive: true });
  gateway = new NodeApp('json-errors-gateway', 'gateway', serviceDir('logs', `${name}-gateway.log`), {
    ...process.env,
    ...env,
    HOST: '127.0.0.1',
    GATEWAY_PORT: String(gatewayPort),
  });
  urls.gateway = `http://127.0.0.1:${gatewayPort}`;
  // Healthy once it sees the replica above in the registry.
  await gateway.start(`${urls.gateway}/health`, gatewayPort, 30_000);
});

afterAll(async () => {
  await Promise.allSettled([gateway?.stop(5000), orderService?.close()]);
});

interface Answer {
  status: number;
  contentType: string;
  body: unknown;
}

async function post(url: string, body: string, contentType: string): Promise<Answer> {
  const response = await fetch(`${url}/orders`, { method: 'POST', body, headers: { 'content-type': contentType } });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, contentType: type, body: type.startsWith('application/json') ? JSON.parse(text) : text };
}

/** Over the order service's 16 KiB and the gateway's default 1 MiB body limit. */
const OVERSIZED = JSON.stringify({ businessId: 1001, padding: 'x'.repeat(1_100_000) });

describe.each(['order-service', 'gateway'] as const)('%s', (app) => {
  it.each<[string, string, string, number, string, RegExp]>([
    ['malformed JSON', '{"businessId": 10', 'application/json', 400, 'Bad Request', /^body is not valid JSON: \S/],
    ['a JSON body with a trailing comma', '{"businessId": 1001,}', 'application/json; charset=utf-8', 400, 'Bad Request', /^body is not valid JSON: \S/],
    ['an empty body declared as JSON', '', 'application/json', 400, 'Bad Request', /body/i],
    ['a content type nobody parses', '<order businessId="1001"/>', 'application/xml', 415, 'Unsupported Media Type', /media type/i],
    ['a body over the limit', OVERSIZED, 'application/json', 413, 'Payload Too Large', /body|large|limit/i],
  ])('answers %s as JSON {statusCode, error, message}', async (_label, body, contentType, statusCode, error, message) => {
    const sut = await post(urls[app], body, contentType);
    expect(sut.status).toBe(statusCode);
    expect(sut.contentType).toMatch(/^application\/json/);
    expect(sut.body).toEqual({ statusCode, error, message: expect.stringMatching(message) });
  });

  it('still issues an order for a good body', async () => {
    const sut = await post(urls[app], JSON.stringify({ businessId: 1001 }), 'application/json');
    expect(sut.status).toBe(201);
    expect(sut.body).toEqual(expect.objectContaining({ orderNumber: expect.stringMatching(/^\d{25}$/) }));
  });
});
