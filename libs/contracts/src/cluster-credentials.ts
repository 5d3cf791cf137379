import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ClusterStateError, readClusterFileSync } from './cluster-state';

/**
 * `.cluster/credentials`, written by `npm run cluster -- --secure` beside the state file, mode
 * 0600 (DESIGN §5): an env file (`set -a; . .cluster/credentials` works in a shell) with the
 * cluster's operator token, ZooKeeper digest and Redis password. Read by `npm run config`,
 * `npm run zk` and the bench; no file means the cluster is open.
 */
export const clusterCredentialsSchema = z.object({
  ADMIN_TOKEN: z.string().min(16),
  /** `user:password` */
  ZK_AUTH: z.string().regex(/^[^:]+:.+$/, 'user:password'),
  REDIS_PASSWORD: z.string().min(1),
});

export type ClusterCredentials = z.infer<typeof clusterCredentialsSchema>;

/** The credentials file of the cluster whose state file is `stateFile`. */
export function credentialsFileOf(stateFile: string): string {
  return join(dirname(stateFile), 'credentials');
}

/** Fresh random credentials (hex: nothing to quote in a URL, a shell or a config file). */
export function generateClusterCredentials(): ClusterCredentials {
  const secret = (bytes: number): string => randomBytes(bytes).toString('hex');
  return { ADMIN_TOKEN: secret(24), ZK_AUTH: `ordernum:${secret(16)}`, REDIS_PASSWORD: secret(16) };
}

export function writeClusterCredentials(file: string, credentials: ClusterCredentials): void {
  mkdirSync(dirname(file), { recursive: true });
  rmSync(file, { force: true }); // a file left by an earlier run keeps its mode: write a new one
  const lines = Object.entries(credentials).map(([name, value]) => `${name}=${value}`);
  writeFileSync(file, `# written by npm run cluster -- --secure; removed when the cluster stops\n${lines.join('\n')}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // the umask could have taken bits away, never added: this makes it exact
}

/** The credentials, or undefined when there is no file (the cluster runs open). */
export function readClusterCredentials(file: string): ClusterCredentials | undefined {
  const text = readClusterFileSync(file);
  if (text === undefined) return undefined;
  const entries = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);
  const parsed = clusterCredentialsSchema.safeParse(Object.fromEntries(entries));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ClusterStateError(`${file} is not a credentials file: ${problems.join('; ')}`, file);
  }
  return parsed.data;
}
