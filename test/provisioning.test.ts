import { rmSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import {
  freePort,
  InvalidJavaHomeError,
  PortInUseError,
  RedisServer,
  ServiceStartError,
  ZookeeperServer,
} from '@app/provisioning';
import { fourLetterWord, parseSrvr } from '@app/zookeeper';
import { trackTimers } from './support/pending-timers';
import { serviceDir } from './support/service-dirs';
import { usePrivateServices } from './support/services';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false; // ESRCH: no such process, which is what we are checking for
  }
}

async function holdPort(port: number): Promise<Server> {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
  return holder;
}

describe('the shared servers from globalSetup', () => {
  it('are a serving ZooKeeper and a Redis', async () => {
    const [host, port] = (process.env.TEST_ZK_CONNECT ?? '').split(':');
    expect(parseSrvr(await fourLetterWord(host, Number(port), 'srvr')).mode).toBe('standalone');
    const redisPort = Number(new URL(process.env.TEST_REDIS_URL ?? 'redis://x:0').port);
    await expect(new RedisServer({ dataDir: '/unused', port: redisPort }).ping()).resolves.toBe('PONG');
  });
});

describe('provisioning', () => {
  const services = usePrivateServices();
  // Servers a test builds by hand (to make them fail) are stopped here, whatever happened.
  const handmade: Array<ZookeeperServer | RedisServer> = [];
  const holders: Server[] = [];
  afterEach(async () => {
    const servers = handmade.splice(0);
    await Promise.allSettled(servers.map((server) => server.stop()));
    for (const server of servers) rmSync(server.dataDir, { recursive: true, force: true });
    await Promise.all(holders.splice(0).map((holder) => new Promise((resolve) => holder.close(resolve))));
  });

  it('starts a standalone ZooKeeper that serves, and stops it without leaving a process', async () => {
    const started = Date.now();
    const sut = await services.zookeeper();
    const startMs = Date.now() - started;
    const pid = sut.pid ?? -1;

    expect(isAlive(pid)).toBe(true);
    expect((await sut.srvr()).mode).toBe('standalone');
    expect(sut.connectString).toBe(`127.0.0.1:${sut.clientPort}`);

    await sut.stop();
    expect(isAlive(pid)).toBe(false);
    expect(sut.pid).toBeUndefined();
    await expect(sut.srvr()).rejects.toMatchObject({ failure: 'refused' });
    console.log(`standalone ZooKeeper serving after ${startMs} ms`);
  });

  it('freezes and thaws a server with pause()/resume(), and stops it while frozen', async () => {
    const sut = await services.zookeeper();
    sut.pause();
    await expect(sut.srvr(300)).rejects.toMatchObject({ failure: 'timeout' });
    sut.resume();
    expect((await sut.srvr(2000)).mode).toBe('standalone');

    const pid = sut.pid ?? -1;
    sut.pause();
    await sut.stop(2000);
    expect(isAlive(pid)).toBe(false);
  });

  it('elects a leader in a 3-server ensemble and a new one after the leader is killed', async () => {
    const started = Date.now();
    const sut = await services.ensemble(3);
    const startMs = Date.now() - started;
    const leader = await sut.waitForLeader(1000);
    expect(await sut.followers()).toHaveLength(2);
    expect(sut.connectString.split(',')).toHaveLength(3);

    const killedAt = Date.now();
    const pid = leader.pid ?? -1;
    await leader.kill();
    expect(isAlive(pid)).toBe(false);
    const successor = await sut.waitForLeader(10_000, leader);
    const electionMs = Date.now() - killedAt;

    expect(successor).not.toBe(leader);
    expect(await successor.mode()).toBe('leader');
    expect(await leader.mode()).toBeUndefined();
    console.log(`ensemble serving after ${startMs} ms; new leader ${electionMs} ms after the kill`);
  });

  it('starts Redis, answers PING, and stops without leaving a process', async () => {
    const started = Date.now();
    const sut = await services.redis();
    const startMs = Date.now() - started;
    const pid = sut.pid ?? -1;

    await expect(sut.ping()).resolves.toBe('PONG');
    expect(sut.url).toBe(`redis://127.0.0.1:${sut.port}`);
    await sut.stop();
    expect(isAlive(pid)).toBe(false);
    await expect(sut.ping()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    console.log(`Redis answering PING after ${startMs} ms`);
  });

  it.each(['zookeeper', 'redis'] as const)('refuses a taken port for %s and names it', async (kind) => {
    const port = await freePort();
    holders.push(await holdPort(port));
    const dataDir = serviceDir(`taken-${kind}`);
    const sut = kind === 'zookeeper' ? new ZookeeperServer({ dataDir, clientPort: port }) : new RedisServer({ dataDir, port });
    handmade.push(sut);

    const error = await sut.start().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PortInUseError);
    expect(error).toMatchObject({ port });
    expect((error as Error).message).toContain(`port ${port}`);
    expect(sut.running).toBe(false);
  });

  it('names JAVA_HOME when it points at no Java', async () => {
    const sut = new ZookeeperServer({
      dataDir: serviceDir('bad-java-home'),
      clientPort: await freePort(),
      env: { ...process.env, JAVA_HOME: '/nonexistent/jdk' },
    });
    handmade.push(sut);

    const error = await sut.start().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InvalidJavaHomeError);
    expect((error as Error).message).toContain('JAVA_HOME=/nonexistent/jdk');
    expect(sut.running).toBe(false);
  });

  it('surfaces the ConfigException of a bad zoo.cfg', async () => {
    const sut = new ZookeeperServer({
      dataDir: serviceDir('bad-config'),
      clientPort: await freePort(),
      settings: { tickTime: 'abc' },
    });
    handmade.push(sut);
    const timers = trackTimers(2000);

    const error = await sut.start().catch((e: unknown) => e);
    timers.restore();

    expect(error).toBeInstanceOf(ServiceStartError);
    expect(error).toMatchObject({ failure: 'config' });
    expect((error as Error).message).toMatch(/ConfigException.*For input string: "abc"/);
    // The grace the server had to finish its log and exit is over once it has: a timer left
    // pending kept every test run alive 3 s after its end.
    expect(timers.pending()).toBe(0);
  });

  it('reports a java that exits early with the end of its log', async () => {
    const sut = new ZookeeperServer({
      dataDir: serviceDir('early-exit'),
      clientPort: await freePort(),
      jvmOptions: ['-Xmx1k'],
    });
    handmade.push(sut);

    const error = await sut.start().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ServiceStartError);
    expect(error).toMatchObject({ failure: 'exited' });
    expect((error as ServiceStartError).logTail).toMatch(/heap/i);
  });
});
