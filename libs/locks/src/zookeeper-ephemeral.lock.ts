import { Logger } from '@nestjs/common';
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
  private readonly logger = new Logger(ZookeeperEphemeralLock.name);
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
    if (lost.aborted) throw new LockBackendError(resource, this.kind, { cause: lost.reason });
    try {
      await ensurePath(this.session, this.basePath, this.ready);
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

  /**
   * The node's path is the same for every holder, so deleting by path could delete a successor's
   * lock (after our session expired and someone else created it). Only the node whose creation
   * zxid is our token is ours.
   */
  private async removeIfOurs(node: string, token: number): Promise<void> {
    let stat;
    try {
      stat = await this.session.api().exists(node);
    } catch (error) {
      // Not rethrown: our node is ephemeral and goes with the session; the holder's result stands.
      this.logger.warn(`could not check ${node} before releasing it: ${(error as Error).message}`);
      return;
    }
    if (stat && zxidToNumber(stat.czxid) === token) await removeOwnNode(this.session, node);
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
