import { GATEWAY_ENV_VARS, ORDER_SERVICE_ENV_VARS } from '@app/contracts';

type Env = Record<string, string>;

const APP_VARS = new Set([...GATEWAY_ENV_VARS, ...ORDER_SERVICE_ENV_VARS]);

/**
 * A child's environment: the parent's, minus every app variable (a developer's stray HTTP_PORT
 * must not leak into a replica), plus the variables `names` from `settings`, plus `assigned`,
 * which the cluster decides (ports, ids, addresses) and which nothing overrides.
 */
function appEnv(names: readonly string[], settings: Env, assigned: Env): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !APP_VARS.has(name)));
  const chosen = Object.fromEntries(names.filter((name) => settings[name] !== undefined).map((name) => [name, settings[name]]));
  return { ...base, ...chosen, ...assigned };
}

/** Settings for the apps: the launcher's environment, overridden by `options.env`. */
export function clusterSettings(overrides: Env = {}): Env {
  const fromProcess = Object.entries(process.env).filter(
    (entry): entry is [string, string] => APP_VARS.has(entry[0]) && entry[1] !== undefined,
  );
  return { ...Object.fromEntries(fromProcess), ...overrides };
}

export interface ReplicaAddress {
  id: string;
  httpPort: number;
  tcpPort: number;
}

export function replicaEnv(
  settings: Env,
  replica: ReplicaAddress,
  zookeeper: string,
  redisUrl: string,
  databaseUrl: string,
): NodeJS.ProcessEnv {
  return appEnv(ORDER_SERVICE_ENV_VARS, settings, {
    REPLICA_ID: replica.id,
    HOST: '127.0.0.1',
    HTTP_PORT: String(replica.httpPort),
    TCP_PORT: String(replica.tcpPort),
    ZK_CONNECT: zookeeper,
    REDIS_URL: redisUrl,
    DATABASE_URL: databaseUrl,
  });
}

export function gatewayEnv(settings: Env, port: number, zookeeper: string): NodeJS.ProcessEnv {
  return appEnv(GATEWAY_ENV_VARS, settings, { HOST: '127.0.0.1', GATEWAY_PORT: String(port), ZK_CONNECT: zookeeper });
}
