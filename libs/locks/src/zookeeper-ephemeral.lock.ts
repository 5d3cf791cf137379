import { CreateMode } from 'node-zookeeper-client';
import { isNodeExists, LogSink, zxidToNumber, ZookeeperSession, ZookeeperUnavailableError } from '@app/zookeeper';
import { LockBackendError, LockLostError, LockTimeoutError } from './errors';
import { AcquireOptions, DistributedLock, Lease, LockStats } from './lock';
import { ensurePath } from './zookeeper-nodes';
import { raceDeadline } from './wait';

/**
 * The simple ZooKeeper lock: whoever creates the one ephemeral node holds the lock; everyone else
 * watches that node and races again when it is deleted. Kept to show its herd effect (every
 * release wakes every waiter) against `ZookeeperSequentialLock`. The node's creation zxid is the
 * fencing token: zxids only grow. Also kept simple on purpose: a create whose answer is lost with a
 * dropped connection may leave a node nobody knows it holds until the session ends (the sequential
 * lock finds such a node again by the marker in its name).
 */
export class ZookeeperEphemeralLock implements DistributedLock {
  readonly kind = 'zookeeper-ephemeral';
  readonly fencing = true;
  readonly stats = new LockStats();
  /** Folders this lock has already created (mkdirp once per process, not per acquisition). */
  private readonly createdPaths = new Set<string>();

  constructor(
    private readonly session: ZookeeperSession,
    /** e.g. `/ordernum/locks/ephemeral` */
    private readonly basePath: string,
    private readonly owner: string,
    private readonly logger?: LogSink,
  ) {}

  async acquire(resource: string, { waitMs }: AcquireOptions): Promise<Lease> {
    const deadline = Date.now() + waitMs;
    const node = `${this.basePath}/${resource}`;
    const lost = this.session.lostSignal();
    if (lost.aborted) throw new LockBackendError(resource, this.kind, { cause: lost.reason });
    try {
      await ensurePath(this.session, this.basePath, this.createdPaths);
      const token = await this.race(resource, node, deadline, lost, waitMs);
      this.stats.acquisitions += 1;
      let released = false;
      return {
        resource,
        token,
        lost,
        release: async () => {
          if (released) return;
          released = true;
          await this.removeIfOurs(node, token);
        },
      };
    } catch (error) {
      if (error instanceof ZookeeperUnavailableError) throw new LockBackendError(resource, this.kind, { cause: error });
      throw error;
    }
  }

  /** True if we created the node; false if it exists already (held, or an orphan of ours). */
  private async tryCreate(node: string): Promise<boolean> {
    try {
      await this.session.api().create(node, Buffer.from(this.owner), CreateMode.EPHEMERAL);
      return true;
    } catch (error) {
      if (isNodeExists(error)) return false;
      throw error;
    }
  }

  /** The creation zxid of the node we just created: our fencing token. */
  private async tokenOfOurNode(resource: string, node: string): Promise<number> {
    const stat = await this.session.api().exists(node);
    if (stat === null) throw new LockLostError(resource, this.kind, 'our lock node vanished right after its creation');
    return zxidToNumber(stat.czxid);
  }

  /**
   * The node's path is the same for every holder, so deleting by path could delete a successor's
   * lock (after our session expired and someone else created it). Only the node whose creation
   * zxid is our token is ours.
   */
  private async removeIfOurs(node: string, token: number): Promise<void> {
    try {
      // Deferred to the reconnection if ZooKeeper does not answer now (see ZookeeperSession.cleanUp).
      await this.session.cleanUp(async (api) => {
        const stat = await api.exists(node);
        if (stat && zxidToNumber(stat.czxid) === token) await api.remove(node, stat.version);
      });
    } catch (error) {
      // Not rethrown: our node is ephemeral and goes with the session; the holder's result stands.
      this.logger?.warn(`could not release ${node}: ${(error as Error).message}`);
    }
  }

  private async race(resource: string, node: string, deadline: number, lost: AbortSignal, waitMs: number): Promise<number> {
    for (;;) {
      if (lost.aborted) throw new LockLostError(resource, this.kind, 'ZooKeeper session lost while waiting');
      if (await this.tryCreate(node)) return this.tokenOfOurNode(resource, node);
      let onChange!: () => void;
      const changed = new Promise<void>((resolve) => (onChange = resolve));
      const holder = await this.session.api().exists(node, () => {
        this.stats.watchNotifications += 1;
        onChange();
      });
      if (holder === null) continue; // released between our create and exists: race again
      const outcome = await raceDeadline(changed, deadline, lost);
      if (outcome === 'timeout') throw new LockTimeoutError(resource, waitMs, this.kind);
    }
  }
}
