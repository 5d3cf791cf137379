import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UnavailableError } from '@app/errors';

/** What a backend server of the cluster is for: the bench sums their CPU by role. */
export const SERVER_ROLES = ['zookeeper', 'redis', 'mariadb'] as const;
export type ServerRole = (typeof SERVER_ROLES)[number];

/**
 * `.cluster/state.json` as the local cluster writes it (DESIGN §5): where every part of a running
 * cluster answers. Written by the launcher, read by the bench, the CLIs and the launcher itself.
 */
export const clusterStateSchema = z.object({
  /** `http://127.0.0.1:<port>` */
  gateway: z.string().url(),
  /** `http` is a URL, `tcp` is `host:port`; `pid` is null while the replica is down. */
  replicas: z.array(z.object({ id: z.string(), http: z.string().url(), tcp: z.string(), pid: z.number().int().nullable() })).min(1),
  /** The connect string, `host:port,...` */
  zookeeper: z.string().min(1),
  /** `host:port` */
  redis: z.string().min(1),
  /** The gateway's process, so the bench can read its CPU and memory; absent in older state files. */
  gatewayPid: z.number().int().nullable().optional(),
  /** `mysql://...` of the cluster's MariaDB (absent in state files written before it had one). */
  database: z.string().regex(/^mysql:\/\//).optional(),
  /**
   * The backend servers the cluster runs, so the bench can read their CPU as it reads the
   * replicas'; `pid` is null while one is down. Absent in older state files.
   */
  servers: z.array(z.object({ role: z.enum(SERVER_ROLES), name: z.string(), pid: z.number().int().nullable() })).optional(),
});

export type ClusterState = z.infer<typeof clusterStateSchema>;

/** The state file is there but unreadable or not a cluster state: the cluster it describes cannot be reached. */
export class ClusterStateError extends UnavailableError {
  constructor(
    message: string,
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The state file's cluster, or undefined when there is no file (nothing was started). */
export async function readClusterState(file: string): Promise<ClusterState | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ClusterStateError(`cannot read ${file}: ${(error as Error).message}`, file, { cause: error });
  }
  return parseClusterState(text, file);
}

/** The same, for callers that cannot wait (a launcher checking for a cluster still running). */
export function readClusterStateSync(file: string): ClusterState | undefined {
  const text = readClusterFileSync(file);
  return text === undefined ? undefined : parseClusterState(text, file);
}

/** One of the files `.cluster/` holds, or undefined when it is not there; unreadable is `ClusterStateError`. */
export function readClusterFileSync(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ClusterStateError(`cannot read ${file}: ${(error as Error).message}`, file, { cause: error });
  }
}

function parseClusterState(text: string, file: string): ClusterState {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ClusterStateError(`${file} is not JSON: ${(error as Error).message}`, file, { cause: error });
  }
  const parsed = clusterStateSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ClusterStateError(`${file} is not a cluster state: ${problems.join('; ')}`, file);
  }
  return parsed.data;
}

/** ZooKeeper root of the cluster's nodes; the replicas read the same variable. */
export function zookeeperRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.ZK_ROOT && env.ZK_ROOT !== '' ? env.ZK_ROOT : '/ordernum';
}
