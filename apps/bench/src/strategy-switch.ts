import { Client, Exception, Stat } from 'node-zookeeper-client';
import { StrategyName } from '@app/order-numbers';
import { ClusterState, zookeeperRoot } from './cluster-state';
import { BenchZookeeperError, connectZookeeper, zkCall } from './zk-client';

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
  deadlineMs?: number;
  pollMs?: number;
  env?: NodeJS.ProcessEnv;
}

const BAD_VERSION_RETRIES = 10;

/**
 * Switches every replica to `strategy` through the config center (DESIGN §4) and waits until each
 * one's `/status` reports it: measuring before that would mix two strategies in one run.
 */
export async function switchStrategy(state: ClusterState, strategy: StrategyName, options: SwitchOptions = {}): Promise<void> {
  const path = `${zookeeperRoot(options.env)}/config/order-service`;
  const client = await connectZookeeper(state.zookeeper).catch((error: Error) => {
    throw new StrategySwitchError(`cannot switch to ${strategy}: ${error.message}`, strategy, { cause: error });
  });
  try {
    await writeStrategy(client, path, strategy);
  } finally {
    client.close();
  }
  await waitForReplicas(state, strategy, options.deadlineMs ?? 10000, options.pollMs ?? 100);
}

async function writeStrategy(client: Client, path: string, strategy: StrategyName): Promise<void> {
  for (let attempt = 0; attempt < BAD_VERSION_RETRIES; attempt += 1) {
    const { data, stat } = await zkCall<{ data: Buffer | undefined; stat: Stat }>(`getData ${path}`, (done) =>
      client.getData(path, (error, value, valueStat) => done(error, { data: value, stat: valueStat })),
    ).catch((error: unknown) => {
      if (error instanceof BenchZookeeperError && error.code === Exception.NO_NODE) {
        throw new StrategySwitchError(`config center ${path} does not exist (is the cluster's ZK_ROOT the same as the bench's?)`, strategy, { cause: error });
      }
      throw error;
    });
    const config = parseConfig(data, path, strategy);
    const next = Buffer.from(JSON.stringify({ ...config, strategy }));
    try {
      await zkCall<Stat>(`setData ${path}`, (done) => client.setData(path, next, stat.version, done));
      return;
    } catch (error) {
      // Someone else changed the config between our read and write: read it again, keep their change.
      if (error instanceof BenchZookeeperError && error.code === Exception.BAD_VERSION) continue;
      throw error;
    }
  }
  throw new StrategySwitchError(`config center ${path} kept changing under us (${BAD_VERSION_RETRIES} BAD_VERSION answers)`, strategy);
}

function parseConfig(data: Buffer | undefined, path: string, strategy: StrategyName): Record<string, unknown> {
  if (!data || data.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(data.toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported just below, with the path
  }
  throw new StrategySwitchError(`config center ${path} does not hold a JSON object`, strategy);
}

async function waitForReplicas(state: ClusterState, strategy: StrategyName, deadlineMs: number, pollMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  let reported: string[] = [];
  while (Date.now() < deadline) {
    reported = await Promise.all(state.replicas.map((replica) => replicaStrategy(replica.http)));
    if (reported.every((name) => name === strategy)) return;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  const lagging = state.replicas.map((replica, i) => `${replica.id}: ${reported[i]}`).filter((_, i) => reported[i] !== strategy);
  throw new StrategySwitchError(`not every replica switched to ${strategy} within ${deadlineMs} ms (${lagging.join(', ')})`, strategy);
}

/** What one replica says it runs; a failure is described instead of thrown, so polling goes on. */
async function replicaStrategy(httpUrl: string): Promise<string> {
  try {
    const response = await fetch(`${httpUrl}/status`, { signal: AbortSignal.timeout(2000) });
    if (!response.ok) return `status ${response.status}`;
    const body = (await response.json()) as { strategy?: unknown };
    return typeof body.strategy === 'string' ? body.strategy : 'no strategy in /status';
  } catch (error) {
    return `unreachable (${(error as Error).message})`;
  }
}
