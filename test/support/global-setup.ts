// Jest maps @app/<lib> for tests, not for its global setup: resolve the aliases here from tsconfig.json.
import 'tsconfig-paths/register';
import { rmSync } from 'node:fs';
import { ensureInstalled, ensureProgram, freePort, MariadbServer, PortInUseError, RedisServer, ZookeeperServer } from '@app/provisioning';
import { findComposeCommand } from '../deploy/support/external-tool';
import { serviceDir } from './service-dirs';

/** What global-teardown.ts needs; Jest runs setup and teardown in the same process. */
export interface SharedServices {
  zookeeper?: ZookeeperServer;
  redis?: RedisServer;
  mariadb?: MariadbServer;
  dir: string;
}

export const SHARED_SERVICES = Symbol.for('ordernum.test.shared-services');

type GlobalWithServices = typeof globalThis & { [SHARED_SERVICES]?: SharedServices };

export function sharedServices(): SharedServices | undefined {
  return (globalThis as GlobalWithServices)[SHARED_SERVICES];
}

/**
 * One standalone ZooKeeper, one Redis and one MariaDB for the whole integration run, on OS-chosen
 * ports so that parallel runs on this machine never meet. Tests read TEST_ZK_CONNECT,
 * TEST_REDIS_URL and TEST_DATABASE_URL.
 */
export default async function globalSetup(): Promise<void> {
  await ensureInstalled();
  await ensureComposeCommand();
  const services: SharedServices = { dir: serviceDir() };
  (globalThis as GlobalWithServices)[SHARED_SERVICES] = services;
  rmSync(services.dir, { recursive: true, force: true });
  const started = Date.now();
  const [zookeeper, redis, mariadb] = await Promise.allSettled([
    onSomeFreePort((port) => new ZookeeperServer({ dataDir: `${services.dir}/zookeeper`, clientPort: port }).start()),
    onSomeFreePort((port) => new RedisServer({ dataDir: `${services.dir}/redis`, port }).start()),
    onSomeFreePort((port) => new MariadbServer({ dataDir: `${services.dir}/mariadb`, port }).start()),
  ]);
  if (zookeeper.status === 'fulfilled') services.zookeeper = zookeeper.value;
  if (redis.status === 'fulfilled') services.redis = redis.value;
  if (mariadb.status === 'fulfilled') services.mariadb = mariadb.value;
  const { zookeeper: zk, redis: rd, mariadb: db } = services;
  if (!zk || !rd || !db) {
    // Jest skips globalTeardown when globalSetup throws, so the ones that did start are stopped here.
    await Promise.all([zk?.stop(), rd?.stop(), db?.stop()]);
    throw [zookeeper, redis, mariadb].find((result): result is PromiseRejectedResult => result.status === 'rejected')?.reason;
  }
  process.env.TEST_ZK_CONNECT = zk.connectString;
  process.env.TEST_REDIS_URL = rd.url;
  process.env.TEST_DATABASE_URL = db.url;
  if (process.env.TEST_SERVICES_VERBOSE) {
    console.log(`\nZooKeeper ${zk.connectString}, Redis ${rd.url}, ${db.url} ready in ${Date.now() - started} ms`);
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

/**
 * test/deploy has compose itself check docker-compose.yml (`config -q`, offline). A Docker client
 * without the compose plugin, or none, gets Debian's `docker-compose` as the servers get theirs;
 * where nothing can be installed (not root), those tests are skipped, naming why.
 */
async function ensureComposeCommand(): Promise<void> {
  if (findComposeCommand()) return;
  await ensureProgram('docker-compose', 'docker-compose').catch((error: Error) =>
    process.stderr.write(`compose checks will be skipped: ${error.message}\n`),
  );
}
