import { CreateMode } from 'node-zookeeper-client';
import { ZookeeperSession, ZookeeperUnavailableError } from '@app/zookeeper';
import { LockBackendError, LockLostError, LockTimeoutError } from './errors';
import { AcquireOptions, DistributedLock, Lease, LockStats } from './lock';
import { ensurePath, removeOwnNode } from './zookeeper-nodes';
import { waitUntil } from './wait';

const PREFIX = 'lock-';

/**
 * The ZooKeeper lock recipe (Curator's InterProcessMutex): each contender creates an
 * ephemeral-sequential node under the resource's folder; the lowest holds the lock; every other
 * contender watches only the node just ahead of it, so a release wakes exactly one waiter (no herd).
 * The node's sequence number is the fencing token: ZooKeeper hands them out in increasing order.
 */
export class ZookeeperSequentialLock implements DistributedLock {
  readonly kind = 'zookeeper';
  readonly stats = new LockStats();
  private readonly ready = new Set<string>();

  constructor(
    private readonly session: ZookeeperSession,
    /** e.g. `/ordernum/locks/sequential` */
    private readonly basePath: string,
    private readonly owner: string,
  ) {}

  async acquire(resource: string, { waitMs }: AcquireOptions): Promise<Lease> {
    const deadline = Date.now() + waitMs;
    const folder = `${this.basePath}/${resource}`;
    // Taken before our node exists: if the session is lost at any point from here, the lease is void.
    const lost = this.session.lostSignal();
    if (lost.aborted) throw new LockBackendError(resource, this.kind, { cause: lost.reason });
    let ours: string | undefined;
    try {
      await ensurePath(this.session, folder, this.ready);
      ours = await this.session.api().create(`${folder}/${PREFIX}`, Buffer.from(this.owner), CreateMode.EPHEMERAL_SEQUENTIAL);
      await this.waitForTurn(resource, folder, ours.slice(folder.length + 1), deadline, lost, waitMs);
    } catch (error) {
      if (ours) await removeOwnNode(this.session, ours);
      if (error instanceof ZookeeperUnavailableError) throw new LockBackendError(resource, this.kind, { cause: error });
      throw error;
    }
    this.stats.acquisitions += 1;
    const node = ours;
    let released = false;
    return {
      resource,
      token: Number(node.slice(node.length - 10)),
      lost,
      // Our node's name is unique to this acquisition, so deleting it can never free someone else.
      release: async () => {
        if (released) return;
        released = true;
        await removeOwnNode(this.session, node);
      },
    };
  }

  async close(): Promise<void> {
    // The session belongs to the caller; nothing of our own to close.
  }

  private async waitForTurn(resource: string, folder: string, ourName: string, deadline: number, lost: AbortSignal, waitMs: number): Promise<void> {
    for (;;) {
      if (lost.aborted) throw new LockLostError(resource, this.kind, 'ZooKeeper session lost while waiting');
      // Same prefix and zero-padded sequence: the lexical order is the queue order.
      const queue = (await this.session.api().getChildren(folder)).filter((name) => name.startsWith(PREFIX)).sort();
      const position = queue.indexOf(ourName);
      if (position < 0) throw new LockLostError(resource, this.kind, 'our lock node is gone (session expired?)');
      if (position === 0) return;

      let onDeleted!: () => void;
      const deleted = new Promise<void>((resolve) => (onDeleted = resolve));
      // Any event on the predecessor (deleted, or its session's news) means: look at the queue again.
      const watcher = () => {
        this.stats.watchNotifications += 1;
        onDeleted();
      };
      const predecessor = await this.session.api().exists(`${folder}/${queue[position - 1]}`, watcher);
      if (predecessor === null) continue; // it left between getChildren and exists
      const outcome = await waitUntil(deleted, deadline, lost);
      if (outcome === 'timeout') throw new LockTimeoutError(resource, waitMs, this.kind);
    }
  }
}
