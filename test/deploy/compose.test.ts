import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_NAMES, envProblems, unknownEnvNames } from './support/app-env';
import {
  COMPOSE_FILE,
  healthcheckCommand,
  loadCompose,
  probedUrl,
  publishedTargets,
  service,
  serviceEnv,
} from './support/compose-file';
import { composeSchemaErrors } from './support/compose-schema';
import { SAMPLE_SECRETS } from './support/compose-interpolation';
import { findComposeCommand, runTool, testWithTool } from './support/external-tool';
import { yaml11Ambiguities } from './support/repo-files';
import { missingFourLetterWords, parseConnectString, parseZooServers, provesServing } from './support/zk-ensemble';

const compose = loadCompose();
const serviceNames = Object.keys(compose.services ?? {});
const namesWithImage = (prefix: string) =>
  serviceNames.filter((name) => service(compose, name).image?.startsWith(prefix)).sort();
const zkNames = namesWithImage('zookeeper:');
const orderService = service(compose, 'order-service');
const gateway = service(compose, 'gateway');
const orderEnv = serviceEnv(orderService);
const gatewayEnv = serviceEnv(gateway);

describe('docker-compose.yml: the file itself', () => {
  test('matches the compose-spec JSON schema', () => {
    expect(composeSchemaErrors(compose)).toEqual([]);
  });

  test('means the same to YAML 1.1 readers (docker-compose 1.x)', () => {
    expect(yaml11Ambiguities(COMPOSE_FILE)).toEqual([]);
  });

  testWithTool(
    findComposeCommand(),
    'docker compose config -q accepts it (with the credentials a .env gives)',
    'neither docker-compose nor the docker compose plugin is on PATH',
    (argv) => {
      const run = runTool([...argv, '-f', COMPOSE_FILE, 'config', '-q'], { ...process.env, ...SAMPLE_SECRETS });
      expect({ status: run.status, output: run.output }).toEqual({ status: 0, output: expect.any(String) });
    },
  );

  testWithTool(
    findComposeCommand(),
    'docker compose refuses to run without the credentials, naming one',
    'neither docker-compose nor the docker compose plugin is on PATH',
    (argv) => {
      const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => SAMPLE_SECRETS[name] === undefined));
      // A project directory without a .env, so that only the environment could supply them.
      const empty = mkdtempSync(join(tmpdir(), 'compose-no-env-'));
      const run = runTool([...argv, '--project-directory', empty, '-f', COMPOSE_FILE, 'config', '-q'], env);
      rmSync(empty, { recursive: true, force: true });
      expect(run.status).not.toBe(0);
      expect(run.output).toMatch(/(ADMIN_TOKEN|ZK_AUTH|REDIS_PASSWORD)/);
    },
  );
});

describe('docker-compose.yml: credentials', () => {
  test('the apps always get them, from required variables that have no default', () => {
    const raw = (name: string) => service(compose, name).environment as Record<string, string>;
    expect(raw('gateway').ADMIN_TOKEN).toMatch(/^\$\{ADMIN_TOKEN:\?/);
    expect(raw('gateway').ZK_AUTH).toMatch(/^\$\{ZK_AUTH:\?/);
    expect(raw('order-service').ZK_AUTH).toMatch(/^\$\{ZK_AUTH:\?/);
    expect(orderEnv.REDIS_URL).toBe(`redis://:${SAMPLE_SECRETS.REDIS_PASSWORD}@redis:6379`);
    expect(gatewayEnv.ADMIN_TOKEN).toBe(SAMPLE_SECRETS.ADMIN_TOKEN);
  });
});

describe.each(APP_NAMES)('docker-compose.yml: %s environment', (app) => {
  const env = serviceEnv(service(compose, app));

  test('sets only variables its config schema reads', () => {
    expect(unknownEnvNames(app, env)).toEqual([]);
  });

  test('passes its config schema', () => {
    expect(envProblems(app, env)).toEqual([]);
  });

  test('binds all interfaces, as a container must', () => {
    expect(env.HOST).toBe('0.0.0.0');
  });
});

describe('docker-compose.yml: topology', () => {
  test('runs three order-service replicas that advertise their own container hostname', () => {
    expect(orderService.deploy?.replicas).toBe(3);
    // One name for all replicas would send every gateway call to whichever one Docker picks.
    expect(orderEnv.ADVERTISE_HOST).toBeUndefined();
    expect([orderService.hostname, orderService.container_name]).toEqual([undefined, undefined]);
  });

  test('both apps run one image; the command picks the app', () => {
    expect(gateway.image).toBe(orderService.image);
    expect([orderService.command, gateway.command]).toEqual([['order-service'], ['gateway']]);
  });

  test('ZK_CONNECT names exactly the three ZooKeeper services, the same for both apps', () => {
    expect(zkNames).toHaveLength(3);
    const members = parseConnectString(orderEnv.ZK_CONNECT);
    expect(members.map((member) => member.host).sort()).toEqual(zkNames);
    expect(members.every((member) => member.port === 2181)).toBe(true);
    expect(gatewayEnv.ZK_CONNECT).toBe(orderEnv.ZK_CONNECT);
    // The gateway discovers replicas under the root the replicas register in.
    expect(gatewayEnv.ZK_ROOT).toBe(orderEnv.ZK_ROOT);
  });

  test.each(zkNames)('%s is a member of the same ensemble, with its own id', (name) => {
    const env = serviceEnv(service(compose, name));
    const servers = parseZooServers(env.ZOO_SERVERS);
    expect(servers.map((server) => server.host).sort()).toEqual(zkNames);
    expect(servers.find((server) => server.id === Number(env.ZOO_MY_ID))?.host).toBe(name);
    expect(servers.every((server) => server.clientPort === 2181)).toBe(true);
    expect(missingFourLetterWords(env.ZOO_4LW_COMMANDS_WHITELIST ?? '')).toEqual([]);
    expect(provesServing(healthcheckCommand(service(compose, name)))).toBe(true);
  });

  test('the ZooKeeper nodes agree on ZOO_SERVERS and have distinct ids', () => {
    const envs = zkNames.map((name) => serviceEnv(service(compose, name)));
    expect(new Set(envs.map((env) => env.ZOO_SERVERS)).size).toBe(1);
    expect(new Set(envs.map((env) => env.ZOO_MY_ID)).size).toBe(zkNames.length);
  });

  test('DATABASE_URL points at the MariaDB service, its database and its user', () => {
    const url = new URL(orderEnv.DATABASE_URL);
    const [mariadb] = namesWithImage('mariadb:');
    expect(url.hostname).toBe(mariadb);
    const env = serviceEnv(service(compose, mariadb));
    expect({ user: url.username, password: url.password, database: url.pathname.slice(1) }).toEqual({
      user: env.MARIADB_USER,
      password: env.MARIADB_PASSWORD,
      database: env.MARIADB_DATABASE,
    });
  });
});

describe('docker-compose.yml: ports and health', () => {
  test('the gateway publishes GATEWAY_PORT', () => {
    expect(publishedTargets(gateway)).toEqual([Number(gatewayEnv.GATEWAY_PORT)]);
  });

  test('healthchecks probe /health on HTTP_PORT and GATEWAY_PORT', () => {
    expect(probedUrl(healthcheckCommand(orderService))).toEqual({ port: Number(orderEnv.HTTP_PORT), path: '/health' });
    expect(probedUrl(healthcheckCommand(gateway))).toEqual({ port: Number(gatewayEnv.GATEWAY_PORT), path: '/health' });
  });

  test.each(['order-service', 'gateway'])('the %s healthcheck is a node script that parses', (name) => {
    const [executable, flag, script] = (service(compose, name).healthcheck?.test ?? []).slice(1);
    expect([executable, flag]).toEqual(['node', '-e']);
    // A syntax error would leave the service unhealthy forever and the gateway never started.
    expect(() => new Function(script)).not.toThrow();
  });
});

describe('docker-compose.yml: start order', () => {
  const conditions = (name: string) => {
    const dependsOn = service(compose, name).depends_on ?? {};
    return Array.isArray(dependsOn) ? {} : dependsOn;
  };
  const healthy = (names: string[]) =>
    Object.fromEntries(names.map((name) => [name, { condition: 'service_healthy' }]));

  test('order-service waits for every ZooKeeper node, every Redis node and Sentinel, and MariaDB to be healthy', () => {
    expect(conditions('order-service')).toEqual(healthy([...zkNames, ...namesWithImage('redis:'), ...namesWithImage('mariadb:')]));
  });

  test('the gateway waits for order-service to be healthy', () => {
    expect(conditions('gateway')).toEqual(healthy(['order-service']));
  });

  test('every service waited on as healthy has a healthcheck', () => {
    const awaited = serviceNames.flatMap((name) =>
      Object.entries(conditions(name))
        .filter(([, { condition }]) => condition === 'service_healthy')
        .map(([dependency]) => dependency));
    const withoutCheck = awaited.filter((name) => !service(compose, name).healthcheck?.test);
    expect(withoutCheck).toEqual([]);
  });
});
