import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
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
  private readonly logger = new Logger(ZookeeperSequentialLock.name);
  private readonly ready = new Set<string>();
  private readonly recheckMs: number;

  constructor(
    private readonly session: ZookeeperSession,
    /** e.g. `/ordernum/locks/sequential` */
    private readonly basePath: string,
    private readonly owner: string,
  ) {
    this.recheckMs = Math.max(250, Math.floor(session.sessionTimeoutMs / 4));
  }

  async acquire(resource: string, { waitMs }: AcquireOptions): Promise<Lease> {
    const deadline = Date.now() + waitMs;
    const folder = `${this.basePath}/${resource}`;
    // Taken before our node exists: if the session is lost at any point from here, the lease is void.
    const lost = this.session.lostSignal();
    if (lost.aborted) throw new LockBackendError(resource, this.kind, { cause: lost.reason });
    // Curator's "protected" mode: a marker in the name finds our node again if the connection
    // drops while the create is under way and we never learn the sequence it got.
    const marker = randomUUID();
    let ours: string | undefined;
    try {
      await ensurePath(this.session, folder, this.ready);
      ours = await this.createNode(folder, marker);
      await this.waitForTurn(resource, folder, ours.slice(folder.length + 1), marker, deadline, lost, waitMs);
    } catch (error) {
      if (ours || error instanceof ZookeeperUnavailableError) await this.removeMarked(folder, marker);
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

  private createNode(folder: string, marker: string): Promise<string> {
    return this.session.api().create(`${folder}/${PREFIX}${marker}-`, Buffer.from(this.owner), CreateMode.EPHEMERAL_SEQUENTIAL);
  }

  /**
   * Deletes every node carrying `marker`: the one we know, one whose create we never heard back
   * from, and the twin of a create the client re-sent after a reconnection (it can run twice).
   * Deferred to the reconnection while ZooKeeper is silent.
   */
  private async removeMarked(folder: string, marker: string): Promise<void> {
    try {
      await this.session.cleanUp(async (api) => {
        const mine = (await api.getChildren(folder)).filter((name) => name.includes(marker));
        await Promise.all(mine.map((name) => this.session.deleteOwnEphemeral(`${folder}/${name}`)));
      });
    } catch (error) {
      // Not rethrown: the nodes are ephemeral and go with the session; the caller's own error stands.
      this.logger.warn(`could not remove the lock nodes of attempt ${marker}: ${(error as Error).message}`);
    }
  }

  private async waitForTurn(
    resource: string,
    folder: string,
    ourName: string,
    marker: string,
    deadline: number,
    lost: AbortSignal,
    waitMs: number,
  ): Promise<void> {
    for (;;) {
      if (lost.aborted) throw new LockLostError(resource, this.kind, 'ZooKeeper session lost while waiting');
      // The queue is ordered by the 10-digit sequence ZooKeeper appends (the markers are random).
      const children = (await this.session.api().getChildren(folder)).filter((name) => name.startsWith(PREFIX));
      // A create re-sent by the client after a reconnection can run twice: the twin carries our
      // marker, nobody will ever release it, and it would block the queue until our session ends.
      const twins = children.filter((name) => name.includes(marker) && name !== ourName);
      await Promise.all(twins.map((twin) => this.session.deleteOwnEphemeral(`${folder}/${twin}`)));
      const queue = children.filter((name) => !twins.includes(name)).sort(bySequence);
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
      // A watch can be lost when the connection moves to another server: look at the queue again
      // after a while even without a notification, so a lost watch costs a moment, not the whole wait.
      const outcome = await waitUntil(deleted, Math.min(deadline, Date.now() + this.recheckMs), lost);
      if (outcome === 'timeout' && Date.now() >= deadline) throw new LockTimeoutError(resource, waitMs, this.kind);
    }
  }
}

function bySequence(a: string, b: string): number {
  return Number(a.slice(-10)) - Number(b.slice(-10));
}
