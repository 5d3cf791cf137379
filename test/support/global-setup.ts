// Jest maps @app/<lib> for tests, not for its global setup: resolve the aliases here from tsconfig.json.
import 'tsconfig-paths/register';
import { rmSync } from 'node:fs';
import { ensureInstalled, freePort, PortInUseError, RedisServer, ZookeeperServer } from '@app/provisioning';
import { serviceDir } from './service-dirs';

/** What global-teardown.ts needs; Jest runs setup and teardown in the same process. */
export interface SharedServices {
  zookeeper?: ZookeeperServer;
  redis?: RedisServer;
  dir: string;
}

export const SHARED_SERVICES = Symbol.for('ordernum.test.shared-services');

type GlobalWithServices = typeof globalThis & { [SHARED_SERVICES]?: SharedServices };

export function sharedServices(): SharedServices | undefined {
  return (globalThis as GlobalWithServices)[SHARED_SERVICES];
}

/**
 * One standalone ZooKeeper and one Redis for the whole integration run, on OS-chosen ports so
 * that parallel runs on this machine never meet. Tests read TEST_ZK_CONNECT and TEST_REDIS_URL.
 */
export default async function globalSetup(): Promise<void> {
  await ensureInstalled();
  const services: SharedServices = { dir: serviceDir() };
  (globalThis as GlobalWithServices)[SHARED_SERVICES] = services;
  rmSync(services.dir, { recursive: true, force: true });
  const started = Date.now();
  const [zookeeper, redis] = await Promise.allSettled([
    onSomeFreePort((port) => new ZookeeperServer({ dataDir: `${services.dir}/zookeeper`, clientPort: port }).start()),
    onSomeFreePort((port) => new RedisServer({ dataDir: `${services.dir}/redis`, port }).start()),
  ]);
  if (zookeeper.status === 'fulfilled') services.zookeeper = zookeeper.value;
  if (redis.status === 'fulfilled') services.redis = redis.value;
  const { zookeeper: zk, redis: rd } = services;
  if (!zk || !rd) {
    // Jest skips globalTeardown when globalSetup throws, so the one that did start is stopped here.
    await Promise.all([zk?.stop(), rd?.stop()]);
    throw [zookeeper, redis].find((result): result is PromiseRejectedResult => result.status === 'rejected')?.reason;
  }
  process.env.TEST_ZK_CONNECT = zk.connectString;
  process.env.TEST_REDIS_URL = rd.url;
  if (process.env.TEST_SERVICES_VERBOSE) {
    console.log(`\nZooKeeper ${zk.connectString}, Redis ${rd.url} ready in ${Date.now() - started} ms`);
  }
}

/** A free port can be taken by another run between our check and the server's bind: pick again. */
async function onSomeFreePort<T>(start: (port: number) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await freePort());
    } catch (error) {
      if (!(error instanceof PortInUseError) || attempt >= attempts) throw error;
    }
  }
}
