import { orderServiceEnvSchema } from '@app/contracts';
import type { Env } from './support/app-env';
import { healthcheckCommand, loadCompose, service, serviceEnv } from './support/compose-file';
import { resolveWithDefaults, SAMPLE_SECRETS } from './support/compose-interpolation';
import { runWithStubbedRedis, type StubbedRedis } from './support/redis-start';
import { dataNodeStart, isSentinel, sentinelStart } from './support/redis-topology';

const compose = loadCompose();
const redisNames = Object.keys(compose.services ?? {}).filter((name) => service(compose, name).image?.startsWith('redis:')).sort();
const PASSWORD = SAMPLE_SECRETS.REDIS_PASSWORD;
const orderConfig = orderServiceEnvSchema.parse(serviceEnv(service(compose, 'order-service')));

const commandOf = (name: string): string[] => {
  const { command } = service(compose, name);
  if (!Array.isArray(command)) throw new Error(`${name}: expected the command as a list, got ${JSON.stringify(command)}`);
  return command.map((part) => resolveWithDefaults(String(part)));
};
/** The service's command as its container runs it, against Sentinels that name `primaryNamedBy` (none answer by default). */
const start = (name: string, primaryNamedBy?: StubbedRedis['primaryNamedBy'], env: Env = serviceEnv(service(compose, name))) =>
  runWithStubbedRedis(commandOf(name), env, { password: env.REDIS_PASSWORD, primaryNamedBy });

const firstStart = Object.fromEntries(redisNames.map((name) => [name, start(name)]));
const sentinels = redisNames.filter((name) => isSentinel(firstStart[name]));
const dataNodes = redisNames.filter((name) => !sentinels.includes(name));
const primaries = dataNodes.filter((name) => dataNodeStart(firstStart[name]).replicaOf === undefined);
const [primary] = primaries;
const replicas = dataNodes.filter((name) => name !== primary);
const sentinelPort = (name: string) => sentinelStart(firstStart[name]).port;
const byHost = (a: { host: string }, b: { host: string }) => a.host.localeCompare(b.host);

describe('docker-compose.yml: Redis behind Sentinel', () => {
  test('a primary, one replica of it and three Sentinels; REDIS_URL names the primary', () => {
    expect({ primaries: primaries.length, replicas: replicas.length, sentinels: sentinels.length })
      .toEqual({ primaries: 1, replicas: 1, sentinels: 3 });
    expect(replicas.map((name) => dataNodeStart(firstStart[name]).replicaOf)).toEqual([{ host: primary, port: 6379 }]);
    const url = new URL(orderConfig.REDIS_URL);
    expect({ host: url.hostname, port: Number(url.port) }).toEqual({ host: primary, port: dataNodeStart(firstStart[primary]).port });
  });

  test.each(dataNodes)('%s requires the password, gives it to its primary, syncs every write and announces its name', (name) => {
    expect(dataNodeStart(firstStart[name])).toMatchObject({
      port: 6379, requirepass: PASSWORD, masterauth: PASSWORD, appendonly: 'yes', appendfsync: 'always', announce: name,
    });
  });

  test('each data node keeps its append-only file on a named volume of its own', () => {
    const volumes = dataNodes.map((name) => (service(compose, name).volumes ?? []).find((volume) => String(volume).endsWith(':/data')));
    expect(volumes.every((volume) => typeof volume === 'string' && !volume.startsWith('.') && !volume.startsWith('/'))).toBe(true);
    expect(new Set(volumes).size).toBe(dataNodes.length);
  });

  test.each(sentinels)('%s monitors the primary by name, with a majority quorum and the password', (name) => {
    expect(sentinelStart(firstStart[name])).toEqual({
      port: 26379,
      requirepass: PASSWORD,
      resolvesHostnames: true,
      announcesHostnames: true,
      announce: name,
      primaries: [{
        name: orderConfig.REDIS_MASTER_NAME, host: primary, port: 6379,
        quorum: Math.floor(sentinels.length / 2) + 1, authPass: PASSWORD, downAfterMs: 5000, failoverTimeoutMs: 60000,
      }],
    });
    // Sentinel stops at start when a monitored name does not resolve yet.
    expect(service(compose, name).depends_on).toEqual({ [primary]: { condition: 'service_healthy' } });
  });

  test('REDIS_SENTINELS lists exactly the Sentinel services on their port, and REDIS_MASTER_NAME is the name they monitor', () => {
    const listed = [...(orderConfig.REDIS_SENTINELS ?? [])].sort(byHost);
    expect(listed).toEqual(sentinels.map((name) => ({ host: name, port: sentinelPort(name) })));
    expect(orderConfig.REDIS_MASTER_NAME).toBe('ordernum');
  });

  test.each(redisNames)('%s asks every Sentinel, with the password, for the primary before it starts', (name) => {
    const askPrimary = `sentinel get-master-addr-by-name ${orderConfig.REDIS_MASTER_NAME}`;
    const asked = firstStart[name].cliCalls.map(({ auth, host, port, command }) => ({ auth, host, port, command: command.join(' ') }));
    expect(asked.sort(byHost)).toEqual(sentinels.map((sentinel) => ({
      auth: PASSWORD, host: sentinel, port: sentinelPort(sentinel), command: askPrimary,
    })));
  });
});

describe('docker-compose.yml: Redis after a failover', () => {
  const replicaAsPrimary = { host: replicas[0], port: 6379 };
  const namedBy = (sentinel: string) => `${sentinel}:${sentinelPort(sentinel)}`;

  test('the old primary, restarted, rejoins as a replica of the primary a Sentinel names; that one stays primary', () => {
    const named = { [namedBy(sentinels[1])]: replicaAsPrimary };
    expect(dataNodeStart(start(primary, named)).replicaOf).toEqual(replicaAsPrimary);
    expect(dataNodeStart(start(replicas[0], named)).replicaOf).toBeUndefined();
  });

  test('a Sentinel still naming the old primary does not outvote one naming the new', () => {
    const named = { [namedBy(sentinels[0])]: { host: primary, port: 6379 }, [namedBy(sentinels[2])]: replicaAsPrimary };
    expect(dataNodeStart(start(primary, named)).replicaOf).toEqual(replicaAsPrimary);
  });

  test('a restarted Sentinel monitors the primary its peers name', () => {
    const named = { [namedBy(sentinels[1])]: replicaAsPrimary };
    expect(sentinelStart(start(sentinels[0], named)).primaries.map(({ host, port }) => ({ host, port }))).toEqual([replicaAsPrimary]);
  });
});

describe.each(redisNames)('docker-compose.yml: %s credentials', (name) => {
  test('the password comes from REDIS_PASSWORD, a required variable, never a literal', () => {
    expect((service(compose, name).environment as Record<string, string>).REDIS_PASSWORD).toMatch(/^\$\{REDIS_PASSWORD:\?/);
    const other = 'another-redis-password';
    const run = start(name, undefined, { ...serviceEnv(service(compose, name)), REDIS_PASSWORD: other });
    const given = isSentinel(run)
      ? [sentinelStart(run).requirepass, ...sentinelStart(run).primaries.map((monitored) => monitored.authPass)]
      : [dataNodeStart(run).requirepass, dataNodeStart(run).masterauth];
    expect(given).toEqual(given.map(() => other));
  });

  test('the healthcheck PINGs its own port with the password', () => {
    const port = isSentinel(firstStart[name]) ? sentinelPort(name) : dataNodeStart(firstStart[name]).port;
    const check = resolveWithDefaults(healthcheckCommand(service(compose, name)));
    const env = serviceEnv(service(compose, name));
    const healthy = runWithStubbedRedis(['sh', '-c', check], env, { password: PASSWORD });
    expect({ status: healthy.status, calls: healthy.cliCalls }).toEqual({
      status: 0, calls: [{ auth: PASSWORD, host: '127.0.0.1', port, command: ['ping'] }],
    });
    expect(runWithStubbedRedis(['sh', '-c', check], env, { password: 'not-this-one' }).status).not.toBe(0);
  });
});
