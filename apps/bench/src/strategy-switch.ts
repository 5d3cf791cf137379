import { parseZookeeperAuth, ZookeeperSession } from '@app/zookeeper';
import { ConfigNode, RuntimeConfigPatch } from '@app/config-center';
import { ClusterCredentials, ClusterState, StrategyName, ZookeeperPaths, zookeeperRoot } from '@app/contracts';

/** The replicas did not all take up the new strategy in time, or the config could not be changed. */
export class StrategySwitchError extends Error {
  constructor(
    message: string,
    readonly strategy: StrategyName,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StrategySwitchError';
  }
}

export interface SwitchOptions {
  /** Also turns fencing on or off in the same write (the faults run compares both). */
  lockFencing?: boolean;
  /** Also sets the group-commit cap in the same write; null removes it (the replicas' LOCK_BATCH_MAX). */
  lockBatchMax?: number | null;
  deadlineMs?: number;
  pollMs?: number;
  env?: NodeJS.ProcessEnv;
  /** A secure cluster's: the config node is writable with its ZooKeeper digest only. */
  credentials?: ClusterCredentials;
}

/**
 * Switches every replica to `strategy` through the config center (DESIGN §4), with the same
 * compare-and-set writer as `npm run config`, and waits until each one's `/status` reports it:
 * measuring before that would mix two strategies in one run.
 */
export async function switchStrategy(state: ClusterState, strategy: StrategyName, options: SwitchOptions = {}): Promise<void> {
  const path = new ZookeeperPaths(zookeeperRoot(options.env)).config;
  let session: ZookeeperSession | undefined;
  try {
    session = await ZookeeperSession.open({
      connect: state.zookeeper,
      sessionTimeoutMs: 10000,
      connectTimeoutMs: 5000,
      auth: options.credentials && parseZookeeperAuth(options.credentials.ZK_AUTH),
    });
    const patch: RuntimeConfigPatch = { strategy };
    if (options.lockFencing !== undefined) patch.lockFencing = options.lockFencing;
    // `undefined` leaves the key out of the node's JSON: the replicas fall back to LOCK_BATCH_MAX.
    if (options.lockBatchMax !== undefined) patch.lockBatchMax = options.lockBatchMax ?? undefined;
    await new ConfigNode(session, path).update(patch);
  } catch (error) {
    throw new StrategySwitchError(`cannot switch to ${strategy}: ${(error as Error).message}`, strategy, { cause: error });
  } finally {
    await session?.close();
  }
  const expected = describeConfig(strategy, options.lockFencing);
  await waitForReplicas(state, strategy, expected, options.deadlineMs ?? 10000, options.pollMs ?? 100);
}

function describeConfig(strategy: string, lockFencing: boolean | undefined): string {
  return lockFencing === undefined ? strategy : `${strategy} (fencing ${lockFencing ? 'on' : 'off'})`;
}

async function waitForReplicas(
  state: ClusterState,
  strategy: StrategyName,
  expected: string,
  deadlineMs: number,
  pollMs: number,
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  let reported: string[] = [];
  while (Date.now() < deadline) {
    reported = await Promise.all(state.replicas.map((replica) => replicaStrategy(replica.http, expected !== strategy)));
    if (reported.every((name) => name === expected)) return;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  const lagging = state.replicas.map((replica, i) => `${replica.id}: ${reported[i]}`).filter((_, i) => reported[i] !== expected);
  throw new StrategySwitchError(`not every replica switched to ${expected} within ${deadlineMs} ms (${lagging.join(', ')})`, strategy);
}

/** What one replica says it runs; a failure is described instead of thrown, so polling goes on. */
async function replicaStrategy(httpUrl: string, withFencing: boolean): Promise<string> {
  try {
    const response = await fetch(`${httpUrl}/status`, { signal: AbortSignal.timeout(2000) });
    if (!response.ok) return `status ${response.status}`;
    const body = (await response.json()) as { strategy?: unknown; config?: { lockFencing?: unknown } };
    if (typeof body.strategy !== 'string') return 'no strategy in /status';
    return withFencing ? describeConfig(body.strategy, body.config?.lockFencing === true) : body.strategy;
  } catch (error) {
    return `unreachable (${(error as Error).message})`;
  }
}
