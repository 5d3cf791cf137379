import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/** `.cluster/state.json` as DESIGN §5 writes it: where every part of a running cluster answers. */
export const clusterStateSchema = z.object({
  gateway: z.string().url(),
  replicas: z
    .array(z.object({ id: z.string(), http: z.string().url(), tcp: z.unknown().optional(), pid: z.number().nullable().optional() }))
    .min(1),
  zookeeper: z.string().min(1),
  redis: z.string().min(1),
});

export type ClusterState = z.infer<typeof clusterStateSchema>;

export class ClusterStateError extends Error {
  constructor(
    message: string,
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ClusterStateError';
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
