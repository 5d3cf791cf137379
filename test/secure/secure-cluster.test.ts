import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { launchCluster, LocalCluster, waitUntil } from '@app/cluster';
import { readClusterCredentials, ZookeeperPaths } from '@app/contracts';
import { freePortBlock } from '@app/provisioning';
import { ZookeeperSession } from '@app/zookeeper';
import { SILENT_PROGRESS } from '../../apps/bench/src/progress';
import { BenchOutcome, runBench } from '../../apps/bench/src/run-bench';
import { parseZkCommand } from '../../scripts/zk/zk-command';
import { runZk } from '../../scripts/zk/zk-run';
import { serviceDir } from '../support/service-dirs';

// `npm run cluster -- --secure` for real (ZooKeeper, Redis, two replica processes and the gateway
// from dist/, with generated credentials): the demo's bench runs through it, the CLIs read the
// credentials file, and one request id is followed from the gateway's log file to the replica's.

jest.setTimeout(240_000);

const dir = serviceDir(`secure-cluster-${Date.now()}`);
const stateFile = join(dir, 'state.json');
let cluster: LocalCluster | undefined;
let bench: BenchOutcome;

interface LogLine {
  requestId?: string;
  msg?: string;
  app?: string;
  level?: number;
}

/** The JSON lines of one process's log file (anything else, such as a stack on a crash, is left out). */
function logLines(name: string): LogLine[] {
  return readFileSync(join(dir, 'data', 'logs', `${name}.log`), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

beforeAll(async () => {
  const base = await freePortBlock(7);
  cluster = await launchCluster({
    replicas: 2,
    gatewayPort: base,
    zkPort: base + 1,
    redisPort: base + 2,
    replicaBasePort: base + 3,
    replicaTcpBasePort: base + 5,
    dataDir: join(dir, 'data'),
    stateFile,
    secure: true,
  });
});

afterAll(async () => {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function order(headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${cluster?.gatewayUrl}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ businessId: 1001 }),
    signal: AbortSignal.timeout(10_000),
  });
}

describe('a secure local cluster', () => {
  it('writes its credentials beside the state file, mode 0600', () => {
    const file = join(dir, 'credentials');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readClusterCredentials(file)).toEqual({
      ADMIN_TOKEN: cluster?.credentials?.ADMIN_TOKEN,
      ZK_AUTH: expect.stringMatching(/^ordernum:[0-9a-f]{32}$/),
      REDIS_PASSWORD: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
  });

  it('follows one request id from the gateway log line to the replica log line, and answers it in X-Request-Id', async () => {
    const requestId = `trace-${process.pid}-${Date.now()}`;
    const response = await order({ 'x-request-id': requestId });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    const { orderNumber, servedBy } = (await response.json()) as { orderNumber: string; servedBy: string };
    let gateway: LogLine[] = [];
    let replica: LogLine[] = [];
    // pino writes asynchronously: the lines reach the files a moment after the answer.
    await waitUntil('both log lines written', 5000, async () => {
      gateway = logLines('gateway').filter((line) => line.requestId === requestId);
      replica = logLines(servedBy).filter((line) => line.requestId === requestId);
      return gateway.length > 0 && replica.length > 0;
    });
    expect(gateway).toEqual([expect.objectContaining({ app: 'gateway', msg: 'POST /orders 201' })]);
    expect(replica).toEqual([expect.objectContaining({ app: 'order-service', msg: expect.stringContaining(orderNumber) })]);
  });

  it('creates a request id when the caller sends none', async () => {
    const response = await order();
    expect(response.status).toBe(201);
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never writes the operator token into a log file', async () => {
    const token = cluster?.credentials?.ADMIN_TOKEN ?? '';
    const answer = await fetch(`${cluster?.gatewayUrl}/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ lockTtlMs: 2500 }),
    });
    expect(answer.status).toBe(200);
    expect((await fetch(`${cluster?.gatewayUrl}/config`, { method: 'PUT', body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(401);
    for (const name of ['gateway', 'order-1', 'order-2']) expect(readFileSync(join(dir, 'data', 'logs', `${name}.log`), 'utf8')).not.toContain(token);
  });

  it('keeps the tree read-only to a client without the digest, and Redis closed to one without the password', async () => {
    const open = await ZookeeperSession.open({ connect: cluster?.state.zookeeper ?? '', sessionTimeoutMs: 4000 });
    try {
      const config = new ZookeeperPaths('/ordernum').config;
      expect((await open.api().getData(config)).data).not.toBeNull();
      await expect(open.api().setData(config, Buffer.from('{}'))).rejects.toMatchObject({ codeName: 'NO_AUTH' });
      await expect(open.api().remove(config)).rejects.toMatchObject({ codeName: 'NO_AUTH' });
    } finally {
      await open.close();
    }
    const redis = new Redis({ port: cluster?.redis.port, host: '127.0.0.1', lazyConnect: true, enableReadyCheck: false, retryStrategy: () => null });
    redis.on('error', () => undefined); // asserted through the command's rejection
    try {
      await redis.connect();
      await expect(redis.keys('*')).rejects.toThrow(/NOAUTH/);
    } finally {
      redis.disconnect();
    }
  });

  it('npm run zk writes with the credentials file of the cluster', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (text: string) => out.push(text), err: (text: string) => err.push(text) };
    const code = await runZk(parseZkCommand(['create', '/ordernum/by-the-cli', 'x', '--state-file', stateFile]), io, { PATH: process.env.PATH });
    expect(err.join('\n')).toContain(`credentials: ${join(dir, 'credentials')}`);
    expect(code).toBe(0);
  });

  it('runs the demo bench through it: every strategy asked for, no problem, no duplicate where it must not be', async () => {
    bench = await runBench(cluster?.state ?? (undefined as never), {
      strategies: ['zookeeper', 'redis', 'redis-pregen', 'snowflake'],
      connections: 8,
      requests: 200,
      warmupRequests: 20,
      outDir: join(dir, 'bench'),
      backendSampleMs: 200,
      progress: SILENT_PROGRESS,
      log: () => undefined,
      credentials: cluster?.credentials,
    });
    expect(bench.results.problems).toEqual([]);
    expect(bench.results.backends.zookeeper).not.toBeNull();
    expect(bench.results.backends.redis).not.toBeNull();
    for (const row of bench.results.strategies) expect(row).toMatchObject({ duplicates: 0, errors: 0 });
  });
});
