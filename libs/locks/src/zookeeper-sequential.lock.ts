import { randomUUID } from 'node:crypto';
import { CreateMode } from 'node-zookeeper-client';
import { isNoNode, linkSignals, LogSink, markedBy, queuePlace, watchPredecessor, ZookeeperSession, ZookeeperUnavailableError, zxidToNumber } from '@app/zookeeper';
import { LockBackendError, LockLostError, LockTimeoutError } from './errors';
import { AcquireOptions, DistributedLock, Lease, LockStats } from './lock';
import { createInFolder, OwnNode, removeOwnNode, watchOwnNode } from './zookeeper-nodes';
import { AcquireStage, raceDeadline, WaitLimits } from './wait';

const PREFIX = 'lock-';

/** Our node was deleted while we waited (an operator's `deleteall`): queue again. */
const REQUEUE = Symbol('requeue');

/**
 * The ZooKeeper lock recipe (Curator's InterProcessMutex): each contender creates an
 * ephemeral-sequential node under the resource's folder; the lowest holds the lock; every other
 * contender watches only the node just ahead of it, so a release wakes exactly one waiter (no herd).
 * The fencing token is our node's creation zxid, not its sequence number: zxids only grow, while
 * the sequence starts again at 0 when an operator deletes the folder and it is created anew.
 */
export class ZookeeperSequentialLock implements DistributedLock {
  readonly kind = 'zookeeper';
  readonly backend = 'ZooKeeper';
  readonly fencing = true;
  readonly stats = new LockStats();
  private readonly createdParents = new Set<string>();
  private readonly recheckMs: number;

  constructor(
    private readonly session: ZookeeperSession,
    /** e.g. `/ordernum/locks/sequential` */
    private readonly basePath: string,
    private readonly owner: string,
    private readonly logger?: LogSink,
  ) {
    this.recheckMs = Math.max(250, Math.floor(session.sessionTimeoutMs / 4));
  }

  async acquire(resource: string, { waitMs, signal, stage = new AcquireStage() }: AcquireOptions): Promise<Lease> {
    const deadline = Date.now() + waitMs;
    const folder = `${this.basePath}/${resource}`;
    // Taken before our node exists: if the session is lost at any point from here, the lease is void.
    const lost = this.session.lostSignal();
    if (lost.aborted) throw new LockBackendError(resource, this.kind, { cause: lost.reason });
    for (;;) {
      // Curator's "protected" mode: a marker in the name finds our node again if the connection
      // drops while the create is under way and we never learn the sequence it got.
      const marker = randomUUID();
      let ours: string | undefined;
      let held: Lease | typeof REQUEUE;
      try {
        ours = await createInFolder(this.session, folder, `${PREFIX}${marker}-`, Buffer.from(this.owner), CreateMode.EPHEMERAL_SEQUENTIAL, this.createdParents);
        held = await this.waitForTurn(resource, folder, ours, marker, { deadline, lost, waitMs, signal, stage });
      } catch (error) {
        if (ours || error instanceof ZookeeperUnavailableError) await this.removeMarked(folder, marker);
        if (error instanceof ZookeeperUnavailableError) throw new LockBackendError(resource, this.kind, { cause: error });
        throw error;
      }
      if (held === REQUEUE) continue;
      this.stats.acquisitions += 1;
      return held;
    }
  }


  /**
   * Deletes every node carrying `marker` (see `markedBy`). Deferred to the reconnection while
   * ZooKeeper is silent.
   */
  private async removeMarked(folder: string, marker: string): Promise<void> {
    try {
      await this.session.cleanUp(async (api) => {
        let children: string[];
        try {
          children = await api.getChildren(folder);
        } catch (error) {
          if (isNoNode(error)) return; // the folder went, and our nodes with it
          throw error;
        }
        await Promise.all(markedBy(children, marker).map((name) => this.session.deleteOwnEphemeral(`${folder}/${name}`)));
      });
    } catch (error) {
      // Not rethrown: the nodes are ephemeral and go with the session; the caller's own error stands.
      this.logger?.warn(`could not remove the lock nodes of attempt ${marker}: ${(error as Error).message}`);
    }
  }

  private async waitForTurn(
    resource: string,
    folder: string,
    ours: string,
    marker: string,
    { deadline, lost, waitMs, signal, stage }: WaitLimits,
  ): Promise<Lease | typeof REQUEUE> {
    const ourName = ours.slice(folder.length + 1);
    // The watch on our own node (and its czxid, the token) is asked for while we queue, beside the
    // first look at the queue, so that taking the lock costs no extra round trip.
    let released = false;
    const own = watchOwnNode(this.session, ours, () => !released);
    own.catch(() => undefined); // awaited below at the head of the queue; an early exit must not leave it unhandled
    // One watcher for the whole wait: node-zookeeper-client registers a given function once per
    // path, so looking at the queue again after `recheckMs` does not stack a second watch on the
    // same predecessor (and a second wake-up per release).
    let wake: () => void = () => undefined;
    const watcher = () => {
      this.stats.watchNotifications += 1;
      wake();
    };
    for (;;) {
      if (lost.aborted) throw new LockLostError(resource, this.kind, 'ZooKeeper session lost while waiting');
      if (Date.now() >= deadline || signal?.aborted) throw new LockTimeoutError(resource, waitMs, this.kind);
      let children: string[];
      try {
        children = await this.session.api().getChildren(folder);
      } catch (error) {
        if (!isNoNode(error)) throw error;
        this.createdParents.delete(folder);
        return REQUEUE; // the folder was deleted, our node with it
      }
      // A create re-sent by the client after a reconnection can run twice: the twin carries our
      // marker, nobody will ever release it, and it would block the queue until our session ends.
      const twins = markedBy(children, marker).filter((name) => name !== ourName);
      await Promise.all(twins.map((twin) => this.session.deleteOwnEphemeral(`${folder}/${twin}`)));
      const { position, predecessor } = queuePlace(children.filter((name) => !twins.includes(name)), ourName, PREFIX);
      // Our node is gone while the session lives: an operator deleted it. We never held the lock with it.
      if (position < 0) return REQUEUE;
      if (predecessor === undefined) {
        const node = await own;
        if (!node) return REQUEUE;
        return this.lease(resource, ours, node, lost, () => (released = true));
      }

      // Any event on the predecessor (deleted, or its session's news) means: look at the queue again.
      const deleted = new Promise<void>((resolve) => (wake = resolve));
      if (!(await watchPredecessor(this.session.api(), `${folder}/${predecessor}`, watcher))) continue;
      // A watch can be lost when the connection moves to another server: look at the queue again
      // after a while even without a notification, so a lost watch costs a moment, not the whole wait.
      const outcome = await stage.holder(raceDeadline(deleted, Math.min(deadline, Date.now() + this.recheckMs), lost, signal));
      if (outcome === 'timeout' && (Date.now() >= deadline || signal?.aborted)) throw new LockTimeoutError(resource, waitMs, this.kind);
    }
  }

  /** Our node heads the queue: the lease, whose `lost` also fires if our node is deleted. */
  private lease(resource: string, node: string, own: OwnNode, sessionLost: AbortSignal, onRelease: () => void): Lease {
    let released = false;
    const linked = linkSignals(sessionLost, own.deleted);
    return {
      resource,
      token: zxidToNumber(own.czxid),
      lost: linked.signal,
      // Our node's name is unique to this acquisition, so deleting it can never free someone else.
      release: async () => {
        if (released) return;
        released = true;
        linked.dispose();
        onRelease();
        await removeOwnNode(this.session, node, this.logger);
      },
    };
  }
}
