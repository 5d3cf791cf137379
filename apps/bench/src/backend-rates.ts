import Redis from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { CreateMode } from 'node-zookeeper-client';
import { performance } from 'node:perf_hooks';
import { ClusterCredentials, ClusterState, ZookeeperPaths, zookeeperRoot } from '@app/contracts';
import { parseZookeeperAuth, ZookeeperSession } from '@app/zookeeper';

/** How fast the backend itself turns lock-like cycles: one client, `parallel` cycles in flight. */
export interface BackendRate {
  operation: string;
  cycles: number;
  durationMs: number;
  opsPerSec: number;
  parallel: number;
}

export interface BackendRates {
  zookeeper: BackendRate | null;
  redis: BackendRate | null;
  /** MariaDB's lock cycle as `db-lock` runs it (null when the cluster has no database). */
  database: BackendRate | null;
  /** Why a rate is missing (the backend did not answer), so the report can say it. */
  problems: string[];
}

/**
 * The ceiling a lock strategy could reach if the whole stack cost nothing: the same client
 * libraries the replicas use, no HTTP in between, one sequential cycle per business line in
 * flight (the locks run one queue per business line, so that is their parallelism too).
 */
export async function measureBackendRates(
  state: ClusterState,
  sampleMs: number,
  parallel: number,
  env: NodeJS.ProcessEnv = process.env,
  credentials?: ClusterCredentials,
): Promise<BackendRates> {
  const problems: string[] = [];
  const guard = async (name: string, measure: () => Promise<BackendRate>): Promise<BackendRate | null> => {
    try {
      return await measure();
    } catch (error) {
      problems.push(`${name} raw rate: ${(error as Error).message}`);
      return null;
    }
  };
  const zookeeper = await guard('ZooKeeper', () => measureZookeeper(state.zookeeper, zookeeperRoot(env), sampleMs, parallel, credentials));
  const redis = await guard('Redis', () => measureRedis(state.redis, sampleMs, parallel, credentials?.REDIS_PASSWORD));
  const databaseUrl = state.database;
  const database = databaseUrl
    ? await guard('MariaDB', () => measureDatabase(databaseUrl, sampleMs, parallel))
    : (problems.push('MariaDB raw rate: the cluster state names no database'), null);
  return { zookeeper, redis, database, problems };
}

async function timedLoops(
  sampleMs: number,
  parallel: number,
  cycle: (lane: number) => Promise<void>,
): Promise<{ cycles: number; durationMs: number; parallel: number }> {
  const started = performance.now();
  let cycles = 0;
  await Promise.all(
    Array.from({ length: parallel }, async (_, lane) => {
      while (performance.now() - started < sampleMs) {
        await cycle(lane);
        cycles += 1;
      }
    }),
  );
  return { cycles, durationMs: performance.now() - started, parallel };
}

function rate(operation: string, measured: { cycles: number; durationMs: number; parallel: number }): BackendRate {
  return { operation, ...measured, opsPerSec: measured.cycles / (measured.durationMs / 1000) };
}

async function measureZookeeper(
  connect: string,
  root: string,
  sampleMs: number,
  parallel: number,
  credentials: ClusterCredentials | undefined,
): Promise<BackendRate> {
  // The replicas' own client: the same library, the same promise wrapper with deadlines, the same ACLs.
  const auth = credentials && parseZookeeperAuth(credentials.ZK_AUTH);
  const session = await ZookeeperSession.open({ connect, sessionTimeoutMs: 10000, connectTimeoutMs: 5000, auth });
  try {
    // Under the cluster's root, which a running cluster has: the bench creates no tree of its own.
    // The `zookeeper` lock's uncontended cycle: its node, the look at who is ahead, the release.
    const path = new ZookeeperPaths(root).benchScratch(process.pid);
    const measured = await timedLoops(sampleMs, parallel, async (lane) => {
      const node = await session.api().create(`${path}-${lane}-`, Buffer.alloc(0), CreateMode.EPHEMERAL_SEQUENTIAL);
      await session.api().getChildren(root);
      await session.api().remove(node);
    });
    return rate('create sequential + getChildren + delete', measured);
  } finally {
    await session.close();
  }
}

async function measureRedis(hostPort: string, sampleMs: number, parallel: number, password: string | undefined): Promise<BackendRate> {
  const [host, port] = splitHostPort(hostPort);
  const redis = new Redis({ host, port, password, lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5000 });
  try {
    await redis.connect();
    const key = `ordernum:bench:raw:${process.pid}`;
    const measured = await timedLoops(sampleMs, parallel, async (lane) => {
      await redis.set(`${key}:${lane}`, 'token', 'PX', 1000, 'NX');
      await redis.del(`${key}:${lane}`);
    });
    return rate('SET NX PX + DEL', measured);
  } finally {
    redis.disconnect();
  }
}

/**
 * The database lock's own cycle, as `DbLock` runs it: GET_LOCK, the token bump committed on its
 * own (a durable commit, the expensive part), RELEASE_LOCK; one connection per lane, like the
 * pooled connection each holder uses.
 */
async function measureDatabase(url: string, sampleMs: number, parallel: number): Promise<BackendRate> {
  const connections = await Promise.all(Array.from({ length: parallel }, () => createConnection({ uri: url, connectTimeout: 5000 })));
  try {
    await connections[0].query('CREATE TABLE IF NOT EXISTS bench_lock_tokens (resource VARCHAR(64) PRIMARY KEY, token BIGINT NOT NULL)');
    const name = `ordernum:bench:raw:${process.pid}`;
    const measured = await timedLoops(sampleMs, parallel, async (lane) => {
      const connection = connections[lane];
      await connection.query('SELECT GET_LOCK(?, 5)', [`${name}:${lane}`]);
      await connection.query(
        'INSERT INTO bench_lock_tokens VALUES (?, LAST_INSERT_ID(1)) ON DUPLICATE KEY UPDATE token = LAST_INSERT_ID(token + 1)',
        [`${name}:${lane}`],
      );
      await connection.query('DO RELEASE_LOCK(?)', [`${name}:${lane}`]);
    });
    return rate('GET_LOCK + token commit + RELEASE_LOCK', measured);
  } finally {
    // Measured already: a failed close changes nothing.
    await Promise.all(connections.map((connection) => connection.end().catch(() => undefined)));
  }
}

/** `host:port` or a `redis://host:port` URL, as state.json may write either. */
export function splitHostPort(address: string): [string, number] {
  const url = new URL(address.includes('://') ? address : `redis://${address}`);
  return [url.hostname, url.port === '' ? 6379 : Number(url.port)];
}
