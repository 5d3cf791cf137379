import { Answer, call, CallOptions, ordersIssued, postOrder } from './support/http';
import { isolatedEnv, Replica, useReplicas } from './support/replicas';

// DESIGN §1/§7: a bad body gets 400 (shape) or 422 (range, unregistered line) as JSON
// `{statusCode, error, message}` whose message names the field, and nothing is issued for it.

const replicas = useReplicas();
let replica: Replica;

beforeAll(async () => {
  replica = await replicas.start({ ...isolatedEnv('bad-requests'), ORDER_STRATEGY: 'local', REPLICA_ID: 'bad-requests' });
  // One good order first, so the issued counter exists and "did not move" is a real comparison.
  expect((await postOrder(replica.url, 1001)).status).toBe(201);
});

async function issuedSoFar(): Promise<number> {
  return ordersIssued((await call(replica.url, 'GET', '/metrics')).text);
}

const json = (body: unknown): CallOptions => ({ json: body });
const raw = (body: string, contentType = 'application/json'): CallOptions => ({ raw: body, headers: { 'content-type': contentType } });

describe.each<[string, CallOptions, 400 | 422, RegExp]>([
  ['businessId missing', json({}), 400, /businessId/],
  ['businessId a string', json({ businessId: '1001' }), 400, /businessId/],
  ['businessId a float', json({ businessId: 1001.5 }), 400, /businessId/],
  ['businessId null', json({ businessId: null }), 400, /businessId/],
  ['businessId negative', json({ businessId: -1 }), 422, /businessId/],
  ['businessId 10000', json({ businessId: 10000 }), 422, /businessId/],
  ['businessId 1234, not a registered line', json({ businessId: 1234 }), 422, /businessId.*1234|1234.*businessId/],
  ['an unknown extra field', json({ businessId: 1001, quantity: 2 }), 400, /quantity/],
  ['an array body', json([{ businessId: 1001 }]), 400, /businessId|body/],
  ['malformed JSON', raw('{"businessId": 10'), 400, /JSON|body/i],
  ['an empty body declared as JSON', raw(''), 400, /body/i],
  ['no body at all', {}, 400, /body|businessId/],
])('POST /orders with %s', (_label, request, status, names) => {
  let issuedBefore: number;
  let answer: Answer;

  beforeAll(async () => {
    issuedBefore = await issuedSoFar();
    answer = await call(replica.url, 'POST', '/orders', request);
  });

  it(`answers ${status}`, () => {
    expect(answer.status).toBe(status);
  });

  it('answers JSON {statusCode, error, message} whose message names the field', () => {
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(answer.json).toEqual(
      expect.objectContaining({ statusCode: status, error: expect.any(String), message: expect.stringMatching(names) }),
    );
  });

  it('issues nothing', async () => {
    expect(await issuedSoFar()).toBe(issuedBefore);
  });
});

it('still issues for a good body afterwards (the bad ones did not break the replica)', async () => {
  const before = await issuedSoFar();
  expect((await postOrder(replica.url, 4001)).status).toBe(201);
  expect(await issuedSoFar()).toBe(before + 1);
});
