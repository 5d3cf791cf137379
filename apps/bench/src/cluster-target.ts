import { launchCluster, LaunchClusterOptions } from '@app/cluster';
import { ClusterCredentials, ClusterState, credentialsFileOf, readClusterCredentials, readClusterState } from '@app/contracts';

/** What the bench needs of a launched cluster; a seam so tests can launch something else. */
export type LaunchCluster = (
  options: LaunchClusterOptions,
) => Promise<{ state: ClusterState; credentials?: ClusterCredentials; stop(): Promise<void> }>;

/** The cluster a bench runs against, and whether the bench owns it (then `stop` stops it). */
export interface BenchCluster {
  state: ClusterState;
  launched: boolean;
  /** A secure cluster's credentials (the bench switches strategies and samples the backends with them). */
  credentials?: ClusterCredentials;
  stop(): Promise<void>;
}

export class ClusterUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ClusterUnavailableError';
  }
}

/** True when the gateway and every replica answer HTTP at all (a stale state file answers nothing). */
export async function isClusterRunning(state: ClusterState): Promise<boolean> {
  const urls = [`${state.gateway}/health`, ...state.replicas.map((replica) => `${replica.http}/status`)];
  const answers = await Promise.all(
    urls.map((url) =>
      fetch(url, { signal: AbortSignal.timeout(1500) }).then(
        () => true,
        () => false, // refused or silent: that part is not running
      ),
    ),
  );
  return answers.every(Boolean);
}

export interface ClusterChoice {
  stateFile: string;
  replicas: number;
  /** Start a fresh cluster even when one is running. */
  fresh: boolean;
  /** A cluster the bench starts has credentials on. */
  secure?: boolean;
  log: (line: string) => void;
  launch?: LaunchCluster;
}

/** Uses the running cluster the state file describes, or starts one that `stop` will end. */
export async function acquireCluster(choice: ClusterChoice): Promise<BenchCluster> {
  if (!choice.fresh) {
    const state = await readClusterState(choice.stateFile);
    if (state && (await isClusterRunning(state))) {
      choice.log(`using the running cluster of ${choice.stateFile} (gateway ${state.gateway}, ${state.replicas.length} replicas)`);
      const credentials = readClusterCredentials(credentialsFileOf(choice.stateFile));
      return { state, launched: false, credentials, stop: async () => undefined };
    }
  }
  choice.log(`starting a cluster with ${choice.replicas} replicas (ZooKeeper, Redis, MariaDB, replicas, gateway)...`);
  const launch = choice.launch ?? launchCluster;
  let cluster: Awaited<ReturnType<LaunchCluster>>;
  try {
    // Own data dir and state file: the launcher wipes its data dir, which must never be that of
    // a cluster someone runs beside the bench.
    cluster = await launch({
      replicas: choice.replicas,
      dataDir: '.cluster/bench/data',
      stateFile: '.cluster/bench/state.json',
      secure: choice.secure,
      log: choice.log,
    });
  } catch (error) {
    throw new ClusterUnavailableError(`the cluster did not start: ${(error as Error).message}`, { cause: error });
  }
  let stopping: Promise<void> | undefined;
  return {
    state: cluster.state,
    launched: true,
    credentials: cluster.credentials,
    // Once only: SIGINT and the normal end may both ask.
    stop: () => (stopping ??= cluster.stop()),
  };
}
