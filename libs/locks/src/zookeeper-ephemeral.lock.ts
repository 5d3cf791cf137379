import { CreateMode } from 'node-zookeeper-client';
import { isNodeExists, zxidToNumber, ZookeeperSession, ZookeeperUnavailableError } from '@app/zookeeper';
import { LockBackendError, LockLostError, LockTimeoutError } from './errors';
import { AcquireOptions, DistributedLock, Lease, LockStats } from './lock';
import { ensurePath, removeOwnNode } from './zookeeper-nodes';
import { waitUntil } from './wait';

/**
 * The simple ZooKeeper lock: whoever creates the one ephemeral node holds the lock; everyone else
 * watches that node and races again when it is deleted. Kept to show its herd effect (every
 * release wakes every waiter) against `ZookeeperSequentialLock`. The node's creation zxid is the
 * fencing token: zxids only grow.
 */
export class ZookeeperEphemeralLock implements DistributedLock {
  readonly kind = 'zookeeper-ephemeral';
  readonly stats = new LockStats();
  private readonly ready = new Set<string>();

  constructor(
    private readonly session: ZookeeperSession,
    /** e.g. `/ordernum/locks/ephemeral` */
    private readonly basePath: string,
    private readonly owner: string,
  ) {}

  async acquire(resource: string, { waitMs }: AcquireOptions): Promise<Lease> {
    const deadline = Date.now() + waitMs;
    const node = `${this.basePath}/${resource}`;
    const lost = this.session.lostSignal();
    try {
      await ensurePath(this.session, this.basePath, this.ready);
      const token = await this.race(resource, node, deadline, lost, waitMs);
      this.stats.acquisitions += 1;
      return { resource, token, lost, release: () => removeOwnNode(this.session, node) };
    } catch (error) {
      if (error instanceof ZookeeperUnavailableError) throw new LockBackendError(resource, this.kind, { cause: error });
      throw error;
    }
  }

  async close(): Promise<void> {
    // The session belongs to the caller; nothing of our own to close.
  }

  private async race(resource: string, node: string, deadline: number, lost: AbortSignal, waitMs: number): Promise<number> {
    for (;;) {
      if (lost.aborted) throw new LockLostError(resource, this.kind, 'ZooKeeper session lost while waiting');
      try {
        await this.session.api().create(node, Buffer.from(this.owner), CreateMode.EPHEMERAL);
        const stat = await this.session.api().exists(node);
        if (stat === null) throw new LockLostError(resource, this.kind, 'our lock node vanished right after its creation');
        return zxidToNumber(stat.czxid);
      } catch (error) {
        if (!isNodeExists(error)) throw error;
      }
      let onChange!: () => void;
      const changed = new Promise<void>((resolve) => (onChange = resolve));
      const holder = await this.session.api().exists(node, () => {
        this.stats.watchNotifications += 1;
        onChange();
      });
      if (holder === null) continue; // released between our create and exists: race again
      const outcome = await waitUntil(changed, deadline, lost);
      if (outcome === 'timeout') throw new LockTimeoutError(resource, waitMs, this.kind);
    }
  }
}
