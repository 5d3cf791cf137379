import { join } from 'node:path';
import { credentialsFileOf, readClusterCredentials } from '@app/contracts';
import { parseZookeeperAuth, ZookeeperAuth } from '@app/zookeeper';
import { REPO_ROOT } from './repo-root';

/** What an operator tool authenticates with, and where it came from (printed, never the secrets). */
export interface OperatorCredentials {
  zkAuth?: ZookeeperAuth;
  adminToken?: string;
  redisPassword?: string;
  /** `ZK_AUTH`, a credentials file, or `none (open cluster)`. */
  source: string;
}

/**
 * The CLIs' credentials: `ZK_AUTH` / `ADMIN_TOKEN` from the environment first (a deployed
 * cluster), else the local cluster's credentials file beside its state file (`npm run cluster --
 * --secure`), else none: the cluster is open.
 */
export function operatorCredentials(env: NodeJS.ProcessEnv, stateFile = join(REPO_ROOT, '.cluster', 'state.json')): OperatorCredentials {
  if (env.ZK_AUTH || env.ADMIN_TOKEN) {
    return {
      zkAuth: env.ZK_AUTH ? parseZookeeperAuth(env.ZK_AUTH) : undefined,
      adminToken: env.ADMIN_TOKEN || undefined,
      source: 'the environment',
    };
  }
  const file = credentialsFileOf(stateFile);
  const credentials = readClusterCredentials(file);
  if (!credentials) return { source: 'none (open cluster)' };
  return {
    zkAuth: parseZookeeperAuth(credentials.ZK_AUTH),
    adminToken: credentials.ADMIN_TOKEN,
    redisPassword: credentials.REDIS_PASSWORD,
    source: file,
  };
}
