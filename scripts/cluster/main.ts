import { parseArgs } from 'node:util';
import { launchCluster } from '@app/cluster';
import { portSchema } from '@app/config';

// `npm run cluster -- [--replicas N] [--ensemble] [--redis-sentinel] [--secure] [--data-dir DIR] [--state-file FILE]`:
// the local process cluster of DESIGN §5.
// Ports come from the same variables the apps read (GATEWAY_PORT), plus the launcher's own
// REPLICA_BASE_PORT, ZK_PORT and REDIS_PORT.

function port(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = portSchema.safeParse(value);
  if (!parsed.success) throw new RangeError(`${name}=${value} is not a port (1..65535)`);
  return parsed.data;
}

/** The loud line: an open cluster must not pass for a protected one. */
function securityBanner(credentialsFile: string | undefined): string {
  if (credentialsFile !== undefined) {
    return [
      `SECURE: ADMIN_TOKEN, ZooKeeper digest ACLs and a Redis password are on; they are in ${credentialsFile} (mode 0600).`,
      '  npm run config / npm run zk read that file; in the console paste its ADMIN_TOKEN into the token field.',
    ].join('\n');
  }
  const token = process.env.ADMIN_TOKEN ? 'ADMIN_TOKEN from your environment guards the gateway; ' : '';
  return [
    `!!! OPEN CLUSTER: ${token}ZooKeeper and Redis take no credentials: anyone on this machine can rewrite the config,`,
    '!!! delete the locks or drain the pools. `npm run cluster -- --secure` turns credentials on.',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      replicas: { type: 'string', default: '3' },
      ensemble: { type: 'boolean', default: false },
      'redis-sentinel': { type: 'boolean', default: false },
      secure: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      'state-file': { type: 'string' },
    },
    strict: true,
  });
  const replicas = Number(values.replicas);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 50)
    throw new RangeError(`--replicas wants an integer 1..50, not ${values.replicas}`);
  const log = (line: string): void => console.log(`[cluster] ${line}`);
  const cluster = await launchCluster({
    replicas,
    ensemble: values.ensemble,
    redisSentinel: values['redis-sentinel'],
    gatewayPort: port('GATEWAY_PORT', 3000),
    replicaBasePort: port('REPLICA_BASE_PORT', 3101),
    zkPort: port('ZK_PORT', 2181),
    redisPort: port('REDIS_PORT', 6379),
    mariadbPort: port('MARIADB_PORT', 3306),
    dataDir: values['data-dir'],
    stateFile: values['state-file'],
    secure: values.secure,
    log,
  });
  console.log(`\ngateway: ${cluster.gatewayUrl}\n${JSON.stringify(cluster.state, null, 2)}\n\n${securityBanner(cluster.credentials?.file)}\n\nCtrl-C stops the cluster.`);
  await new Promise<void>((resolve) => {
    const shutdown = (signal: NodeJS.Signals): void => {
      log(`${signal}: stopping`);
      resolve();
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
  // A second signal during shutdown (a second Ctrl-C, or npm relaying one) must not kill us before the children are gone.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => log(`${signal}: already stopping`));
  await cluster.stop();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`cluster: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
