import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { connectRedis, createRedisClient } from '@app/redis';
import { ZookeeperSession } from '@app/zookeeper';

/** A unique ZooKeeper root / Redis prefix per test, so tests sharing the servers never meet. */
export function uniqueName(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}

/**
 * Opens ZooKeeper sessions and Redis clients against the shared test servers (or given ones)
 * and closes every one of them in afterAll.
 */
export function useBackends(): {
  zookeeper(connect?: string, sessionTimeoutMs?: number): Promise<ZookeeperSession>;
  redis(url?: string): Promise<Redis>;
} {
  const sessions: ZookeeperSession[] = [];
  const clients: Redis[] = [];
  afterAll(async () => {
    await Promise.all(sessions.map((session) => session.close()));
    clients.forEach((client) => client.disconnect());
  });
  return {
    async zookeeper(connect = requireEnv('TEST_ZK_CONNECT'), sessionTimeoutMs = 4000) {
      const session = await ZookeeperSession.open({ connect, sessionTimeoutMs, connectTimeoutMs: 10000 });
      sessions.push(session);
      return session;
    },
    async redis(url = requireEnv('TEST_REDIS_URL')) {
      const client = createRedisClient({ url, commandTimeoutMs: 2000 });
      client.on('error', () => undefined); // connection trouble is what some tests provoke; commands report it
      await connectRedis(client, url);
      clients.push(client);
      return client;
    },
  };
}

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: run integration tests through jest's integration project (globalSetup starts the servers)`);
  return value;
}

/** Polls `condition` until it holds or `timeoutMs` passes; fails with `what`. */
export async function eventually(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10000,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
