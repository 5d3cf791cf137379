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

async function post(url: string, body: string | Buffer, contentType: string): Promise<Answer> {
  // Bytes as a Uint8Array: fetch's types take no Buffer.
  const payload = typeof body === 'string' ? body : new Uint8Array(body);
  const response = await fetch(`${url}/orders`, { method: 'POST', body: payload, headers: { 'content-type': contentType } });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, contentType: type, body: type.startsWith('application/json') ? JSON.parse(text) : text };
}

/** Over the order service's 16 KiB and the gateway's default 1 MiB body limit. */
const OVERSIZED = JSON.stringify({ businessId: 1001, padding: 'x'.repeat(1_100_000) });
/** Far over both limits: the answer must still be a 413, not a connection reset mid-upload. */
const HUGE = JSON.stringify({ businessId: 1001, padding: 'x'.repeat(8_000_000) });
/** Deeper than any recursive walk of the body (a JSON.stringify for the RPC, say) survives. */
const DEEP = (depth: number, inner: string): string => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;
/** `{"businessId": 1001, "ü": 1}` with the ü's bytes cut in half: not UTF-8. */
const INVALID_UTF8 = Buffer.concat([Buffer.from('{"businessId": 1001, "'), Buffer.from([0xc3]), Buffer.from('": 1}')]);

describe.each(['order-service', 'gateway'] as const)('%s', (app) => {
  it.each<[string, string | Buffer, string, number, string, RegExp]>([
    ['malformed JSON', '{"businessId": 10', 'application/json', 400, 'Bad Request', /^body is not valid JSON: \S/],
    [
      'a JSON body with a trailing comma',
      '{"businessId": 1001,}',
      'application/json; charset=utf-8',
      400,
      'Bad Request',
      /^body is not valid JSON: \S/,
    ],
    ['an empty body declared as JSON', '', 'application/json', 400, 'Bad Request', /body/i],
    ['a content type nobody parses', '<order businessId="1001"/>', 'application/xml', 415, 'Unsupported Media Type', /media type/i],
    ['a body over the limit', OVERSIZED, 'application/json', 413, 'Payload Too Large', /body|large|limit/i],
    ['a body of 8 MB', HUGE, 'application/json', 413, 'Payload Too Large', /body|large|limit/i],
    ['a content type of text/plain', '{"businessId": 1001}', 'text/plain', 415, 'Unsupported Media Type', /media type/i],
    ['a JSON array', '[{"businessId": 1001}]', 'application/json', 400, 'Bad Request', /body must be a JSON object/],
    ['a JSON string', '"1001"', 'application/json', 400, 'Bad Request', /body must be a JSON object/],
    ['null', 'null', 'application/json', 400, 'Bad Request', /body/],
    ['businessId as a string', '{"businessId": "1001"}', 'application/json', 400, 'Bad Request', /businessId must be an integer/],
    ['businessId as a boolean', '{"businessId": true}', 'application/json', 400, 'Bad Request', /businessId must be an integer/],
    ['businessId as a float', '{"businessId": 1001.5}', 'application/json', 400, 'Bad Request', /businessId must be an integer/],
    [
      'a number too large for a double (1e400)',
      '{"businessId": 1e400}',
      'application/json',
      400,
      'Bad Request',
      /businessId must be an integer/,
    ],
    [
      'a 20-digit businessId',
      '{"businessId": 12345678901234567890}',
      'application/json',
      422,
      'Unprocessable Entity',
      /businessId must be within 0\.\.9999/,
    ],
    ['a negative businessId', '{"businessId": -1}', 'application/json', 422, 'Unprocessable Entity', /businessId must be within 0\.\.9999/],
    ['an extra field', '{"businessId": 1001, "quantity": 2}', 'application/json', 400, 'Bad Request', /unknown field\(s\): quantity/],
    [
      'an extra field nested 5,000 deep',
      `{"businessId": 1001, "x": ${DEEP(5000, '1')}}`,
      'application/json',
      400,
      'Bad Request',
      /unknown field\(s\): x/,
    ],
    ['businessId nested 5,000 deep', `{"businessId": ${DEEP(5000, '1001')}}`, 'application/json', 400, 'Bad Request', /businessId/],
    ['bytes that are not UTF-8', INVALID_UTF8, 'application/json', 400, 'Bad Request', /^body is not valid UTF-8$/],
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
