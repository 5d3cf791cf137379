/**
 * Every ZooKeeper path the processes of a cluster share, under one root (`ZK_ROOT`). Nothing else
 * assembles a path, by literal or by concatenation: a renamed folder changes here, once, for the
 * replicas, the gateway, the bench and the CLIs alike (DESIGN §4).
 */
export class ZookeeperPaths {
  constructor(readonly root: string) {}

  /** The config center's node, JSON of `RuntimeConfig`, watched by every replica. */
  get config(): string {
    return `${this.root}/config/order-service`;
  }

  /**
   * A random ID written once into a fresh ZooKeeper: when it changes, ZooKeeper has lost its data
   * (and its counters restarted), so epochs start above everything before (DESIGN §3).
   */
  get generation(): string {
    return `${this.root}/generation`;
  }

  /** The registry: one ephemeral child per replica, data = `ReplicaRegistration`. */
  get registry(): string {
    return `${this.root}/services/order-service`;
  }

  registryEntry(replicaId: string): string {
    return `${this.registry}/${replicaId}`;
  }

  /** The master election's candidates (ephemeral-sequential). */
  get election(): string {
    return `${this.root}/election`;
  }

  /** The folder of the `zookeeper` lock (ephemeral-sequential contenders per business line). */
  get sequentialLocks(): string {
    return `${this.root}/locks/sequential`;
  }

  /** The folder of the `zookeeper-ephemeral` lock (one ephemeral node per business line). */
  get ephemeralLocks(): string {
    return `${this.root}/locks/ephemeral`;
  }

  /** Snowflake worker-ID leases, `/workers/NN`, ephemeral. */
  get workers(): string {
    return `${this.root}/workers`;
  }

  /** The folder of the workers' reservation records (`workerState`), persistent. */
  get workerStates(): string {
    return `${this.root}/worker-state`;
  }

  /** The millisecond bound a worker ID may use, persistent, so its next lessee starts above it. */
  workerState(workerId: number): string {
    return `${this.workerStates}/${String(workerId).padStart(2, '0')}`;
  }

  /** A replica's clock probe (ephemeral): it writes the node and reads ZooKeeper's own time off its mtime. */
  clockProbe(replicaId: string): string {
    return `${this.root}/clock/${replicaId}`;
  }

  /** Scratch nodes of the bench's raw rate measurement, one folder per process. */
  benchScratch(pid: number): string {
    return `${this.root}/bench-raw-${pid}`;
  }
}
