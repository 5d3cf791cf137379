import { rmSync } from 'node:fs';
import {
  freePort,
  MariadbServer,
  RedisServer,
  ZookeeperEnsemble,
  ZookeeperServer,
  ZookeeperServerOptions,
} from '@app/provisioning';
import { serviceDir } from './service-dirs';

interface Stoppable {
  stop(): Promise<unknown>;
}

/**
 * Extra servers private to one test file, for tests that kill or freeze a server and so must not
 * use the shared ones (TEST_ZK_CONNECT / TEST_REDIS_URL). Call at the top of a `describe` (or the
 * file): it registers an afterAll that stops every server it started, even when a test failed.
 *
 * ```ts
 * const services = usePrivateServices();
 * it('survives a frozen server', async () => {
 *   const zk = await services.zookeeper();
 *   zk.pause();
 * });
 * ```
 */
export function usePrivateServices(): PrivateServices {
  const services = new PrivateServices();
  afterAll(() => services.stopAll());
  return services;
}

let counter = 0;

export class PrivateServices {
  private readonly started: Stoppable[] = [];
  private readonly dirs: string[] = [];

  async zookeeper(options: Pick<ZookeeperServerOptions, 'tickTimeMs' | 'env' | 'settings'> = {}): Promise<ZookeeperServer> {
    const server = new ZookeeperServer({ ...options, dataDir: this.newDir('zookeeper'), clientPort: await freePort() });
    this.started.push(server);
    return server.start();
  }

  async ensemble(size = 3): Promise<ZookeeperEnsemble> {
    const ensemble = await ZookeeperEnsemble.onFreePorts({ baseDir: this.newDir('ensemble'), size });
    this.started.push(ensemble);
    return ensemble.start();
  }

  async redis(): Promise<RedisServer> {
    const server = new RedisServer({ dataDir: this.newDir('redis'), port: await freePort() });
    this.started.push(server);
    return server.start();
  }

  async mariadb(): Promise<MariadbServer> {
    const server = new MariadbServer({ dataDir: this.newDir('mariadb'), port: await freePort() });
    this.started.push(server);
    return server.start();
  }

  /** Stops every server, paused or killed ones included, and deletes their data. */
  async stopAll(): Promise<void> {
    await Promise.allSettled(this.started.splice(0).map((service) => service.stop()));
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }

  private newDir(kind: string): string {
    const dir = serviceDir(`private-${kind}-${++counter}`);
    this.dirs.push(dir);
    return dir;
  }
}
