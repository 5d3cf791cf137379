/**
 * @jest-environment ./test/docker/support/docker-environment.ts
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DockerCli, ensureBaseImage, freePorts, ordernumCacheDir } from '@app/provisioning';
import { eventually, requireEnv } from '../support/backends';
import { OrderAnswer, postOrder } from '../support/http';
import { AppContainer, StopResult } from './support/app-container';
import { dockerContext } from './support/docker-context';
import { buildImage } from './support/image-build';
import { installedPackages, lockfileSplit } from './support/image-contents';

// The project's image, built from its Dockerfile and run for real (no registry is reachable
// here: the base image is made on this machine). Only a failure to install docker.io or to
// start dockerd skips it; see docker-environment.ts.
const context = dockerContext();
const suite = context.available ? describe : describe.skip;
const skipNote = context.available ? '' : ` — SKIPPED: ${context.reason}`;

const GRACE_SECONDS = 10;
const run = randomUUID().slice(0, 8);

suite(`the Docker image, built and run${skipNote}`, () => {
  const phases: string[] = [];
  let docker: DockerCli;
  let image: string;
  const containers: AppContainer[] = [];

  const timed = async <T>(phase: string, step: () => Promise<T>, note?: (result: T) => string): Promise<T> => {
    const started = Date.now();
    const result = await step();
    phases.push(`${phase} ${((Date.now() - started) / 1000).toFixed(1)} s${note ? ` (${note(result)})` : ''}`);
    return result;
  };

  beforeAll(async () => {
    if (!context.available) return;
    docker = new DockerCli(context.command, context.host);
    phases.push(`daemon ${(context.daemonMs / 1000).toFixed(1)} s (${context.ownDaemon ? 'own dockerd' : 'system daemon'})`);
    const base = await timed('base image', () => ensureBaseImage(docker, { workDir: join(context.dir, 'base') }), (b) => b.source);
    image = `ordernum-test:${run}`;
    await timed(
      'build',
      () =>
        buildImage(docker, {
          baseImage: base.tag,
          tag: image,
          logFile: join(context.dir, 'build.log'),
          cacheFile: ordernumCacheDir('docker-build', `${base.tag.split(':')[1]}.tar`),
        }),
      (b) => `layer cache ${b.cacheLoaded ? 'loaded' : 'empty'}${b.cacheSaved ? ', saved' : ''}`,
    );
  }, 20 * 60_000);

  afterAll(async () => {
    if (!context.available) return;
    await Promise.all(containers.map((container) => container.remove()));
    // A system daemon keeps what it is given: the test's image goes, the cached base stays.
    if (image) await docker.run(['rmi', '--force', image]).catch(() => undefined); // never built: nothing to remove
    console.log(`Docker image test: ${phases.join(', ')}; total ${((Date.now() - context.startedAt) / 1000).toFixed(1)} s`);
  });

  test('the runtime stage carries no dev dependency and every runtime one', async () => {
    const installed = await installedPackages(docker, image);
    const lock = lockfileSplit();
    expect([...installed].filter((path) => lock.devOnly.has(path))).toEqual([]);
    expect([...lock.required].filter((path) => !installed.has(path))).toEqual([]);
    expect([...installed].filter((path) => !lock.all.has(path))).toEqual([]);
    for (const dev of ['typescript', 'jest', '@swc/core', '@nestjs/testing']) expect(installed.has(`node_modules/${dev}`)).toBe(false);
    expect(installed.has('node_modules/@nestjs/core')).toBe(true);
  });

  test('runs as the non-root user 1000', async () => {
    expect((await docker.run(['image', 'inspect', '--format', '{{.Config.User}}', image])).trim()).toBe('1000:1000');
    const id = await docker.run(['run', '--rm', '--network', 'host', '--entrypoint', 'id', image]);
    expect(id.trim()).toMatch(/^uid=1000\b.* gid=1000\b/);
  });

  test('a replica and a gateway from the image issue orders, then stop on SIGTERM within the grace period', async () => {
    const [httpPort, tcpPort, gatewayPort] = await freePorts(3);
    const zookeeper = { ZK_CONNECT: requireEnv('TEST_ZK_CONNECT'), ZK_ROOT: `/docker-image-${run}` };
    const replica = new AppContainer(docker, `ordernum-test-${run}-replica`);
    const gateway = new AppContainer(docker, `ordernum-test-${run}-gateway`);
    containers.push(replica, gateway);
    const stops = await timed('containers', async () => {
      await replica.start(image, 'order-service', {
        ...zookeeper,
        REDIS_URL: requireEnv('TEST_REDIS_URL'),
        ORDER_STRATEGY: 'zookeeper',
        REPLICA_ID: 'docker-replica',
        HTTP_PORT: String(httpPort),
        TCP_PORT: String(tcpPort),
      });
      await gateway.start(image, 'gateway', { ...zookeeper, GATEWAY_PORT: String(gatewayPort) });
      await replica.waitHealthy(`http://127.0.0.1:${httpPort}/health`);
      await gateway.waitHealthy(`http://127.0.0.1:${gatewayPort}/health`);
      // The image's init is PID 1 (no --init here), node its child: that is what forwards SIGTERM.
      expect((await replica.pid1())[0]).toBe('/usr/bin/tini');
      expect((await gateway.pid1())[0]).toBe('/usr/bin/tini');

      const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
      const orders: OrderAnswer[] = [];
      // The gateway answers once it has discovered the replica in ZooKeeper.
      await eventually('the gateway forwards an order to the replica', async () => {
        // Refused while the container is still starting: not an answer yet, ask again.
        const first = await postOrder(gatewayUrl, 1001, 5000).catch(() => undefined);
        if (first?.status === 201) orders.push(first);
        return first?.status === 201;
      }, 30_000, 250);
      orders.push(...(await Promise.all(Array.from({ length: 5 }, () => postOrder(gatewayUrl, 1001)))));
      expect(orders.map((order) => order.status)).toEqual(Array(6).fill(201));
      expect(new Set(orders.map((order) => order.body.orderNumber)).size).toBe(6);
      expect(new Set(orders.map((order) => order.body.replica))).toEqual(new Set(['docker-replica']));

      return Promise.all([gateway.stop(GRACE_SECONDS), replica.stop(GRACE_SECONDS)]);
    });
    // 143: node re-raises SIGTERM after its shutdown hooks; 137 would be the SIGKILL at the end
    // of the grace period. Code and time are in the comparison so that a failure shows them.
    const judged = (stop: StopResult) => ({
      cleanExit: [0, 143].includes(stop.exitCode) && !stop.oomKilled,
      withinGrace: stop.elapsedMs < GRACE_SECONDS * 1000,
      exitCode: stop.exitCode,
      elapsedMs: stop.elapsedMs,
    });
    expect(stops.map(judged)).toEqual(stops.map((stop) => ({ ...judged(stop), cleanExit: true, withinGrace: true })));
  }, 5 * 60_000);
});
