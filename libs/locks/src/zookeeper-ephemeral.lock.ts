import { randomUUID } from 'node:crypto';
import { CreateMode } from 'node-zookeeper-client';
import { isBadVersion, isNodeExists, isNoNode, linkSignals, LogSink, ZookeeperSession, ZookeeperUnavailableError, zxidToNumber } from '@app/zookeeper';
import { LockBackendError, LockLostError, LockTimeoutError } from './errors';
import { AcquireOptions, DistributedLock, Lease, LockStats } from './lock';
import { HolderWatches } from './holder-watches';
import { createInFolder, OwnNode, watchOwnNode } from './zookeeper-nodes';
import { AcquireStage, raceDeadline, WaitLimits } from './wait';

/** Reads and deletes of our node, each undone by an operator's set in between, before we give up and log it. */
const REMOVE_ATTEMPTS = 5;

/**
 * The simple ZooKeeper lock: whoever creates the one ephemeral node holds the lock; everyone else
 * watches that node and races again when it is deleted. Kept to show its herd effect (every
 * release wakes every waiter) against `ZookeeperSequentialLock`. The node's creation zxid is the
 * fencing token: zxids only grow.
 *
 * Every attempt writes a random marker into the node's data (the sequential lock puts it in the
 * name): a create whose answer was lost with the connection, and which the client re-sent, finds
 * its own node in place (NODE_EXISTS) and knows it by the marker instead of waiting on it for as
 * long as the session lives; an attempt that fails deletes the node if it carries its marker.
 */
export class ZookeeperEphemeralLock implements DistributedLock {
  readonly kind = 'zookeeper-ephemeral';
  readonly backend = 'ZooKeeper';
  readonly fencing = true;
  readonly stats = new LockStats();
  private readonly createdParents = new Set<string>();
  private readonly holders: HolderWatches;
  /** The creation zxids (hex) of the nodes this lock's leases hold now. */
  private readonly held = new Set<string>();
  /** How every attempt's marker starts: `owner `, then a random UUID. */
  private readonly markerPrefix: Buffer;

  constructor(
    private readonly session: ZookeeperSession,
    /** e.g. `/ordernum/locks/ephemeral` */
    private readonly basePath: string,
    private readonly owner: string,
    private readonly logger?: LogSink,
  ) {
    this.holders = new HolderWatches(session);
    this.markerPrefix = Buffer.from(`${owner} `);
  }

  async acquire(resource: string, { waitMs, signal, stage = new AcquireStage() }: AcquireOptions): Promise<Lease> {
    const deadline = Date.now() + waitMs;
    const lost = this.session.lostSignal();
    if (lost.aborted) throw new LockBackendError(resource, this.kind, { cause: lost.reason });
    const data = Buffer.concat([this.markerPrefix, Buffer.from(randomUUID())]);
    try {
      const lease = await this.race(resource, data, { deadline, lost, waitMs, signal, stage });
      this.stats.acquisitions += 1;
      return lease;
    } catch (error) {
      if (!(error instanceof LockTimeoutError)) await this.removeIfOurs(`${this.basePath}/${resource}`, data);
      if (error instanceof ZookeeperUnavailableError) throw new LockBackendError(resource, this.kind, { cause: error });
      throw error;
    }
  }


  /** True if our create went through; false if the node exists (held by someone, or ours from a re-sent create). */
  private async tryCreate(resource: string, data: Buffer): Promise<boolean> {
    try {
      await createInFolder(this.session, this.basePath, resource, data, CreateMode.EPHEMERAL, this.createdParents);
      return true;
    } catch (error) {
      if (isNodeExists(error)) return false;
      throw error;
    }
  }

  /**
   * The node's path is the same for every holder, so deleting by path could delete a successor's
   * lock. Only the node that carries our attempt's marker is ours: deleted after a failed attempt
   * that may have created it without hearing back. A holder knows more: its node's creation zxid,
   * which an operator's `set` of the data does not change, so it deletes its node at release even
   * when the marker is gone (it used to stay, and the lock with it, while the session lived).
   */
  private async removeIfOurs(node: string, data: Buffer, createdAt?: Buffer): Promise<void> {
    try {
      // Deferred to the reconnection if ZooKeeper does not answer now (see ZookeeperSession.cleanUp).
      await this.session.cleanUp(async (api) => {
        // Deleted at the version read, so never a successor's node; a set in between (BAD_VERSION)
        // sends us back to read it again, else the node would stay with our session.
        for (let attempt = 1; ; attempt += 1) {
          try {
            const holder = await api.getData(node);
            const ours = createdAt ? holder.stat.czxid.equals(createdAt) : holder.data?.equals(data);
            if (ours) await api.remove(node, holder.stat.version);
            return;
          } catch (error) {
            if (isNoNode(error)) return; // gone already: nothing of ours to delete
            if (!isBadVersion(error) || attempt === REMOVE_ATTEMPTS) throw error;
          }
        }
      });
    } catch (error) {
      // Not rethrown: our node is ephemeral and goes with the session; the holder's result stands.
      this.logger?.warn(`could not release ${node}: ${(error as Error).message}`);
    }
  }

  /**
   * Our node carries our attempt's marker, unless an operator's `set` landed between our create
   * and our read. A node we created, that our session owns, that no other attempt of this lock has
   * marked and no lease of it holds, is ours all the same: taken for someone else's, it stayed with
   * our session and every contender, us included, waited on it until the session ended.
   */
  private isOurs(own: OwnNode, data: Buffer, created: boolean): boolean {
    if (own.data?.equals(data)) return true;
    const markedByUs = own.data !== null && own.data.subarray(0, this.markerPrefix.length).equals(this.markerPrefix);
    return created && own.ephemeralOwner === this.session.sessionId && !markedByUs && !this.held.has(own.czxid.toString('hex'));
  }

  private async race(resource: string, data: Buffer, { deadline, lost, waitMs, signal, stage }: WaitLimits): Promise<Lease> {
    const node = `${this.basePath}/${resource}`;
    for (;;) {
      if (lost.aborted) throw new LockLostError(resource, this.kind, 'ZooKeeper session lost while waiting');
      if (Date.now() >= deadline || signal?.aborted) throw new LockTimeoutError(resource, waitMs, this.kind);
      const created = await this.tryCreate(resource, data);
      if (!created) {
        const holder = await this.holders.read(node, lost);
        if (holder === null) continue; // released between our create and our read: race again
        if (!holder.data.equals(data)) {
          // Every waiter woken by a change counts, as the herd it is.
          const woken = holder.changed.then(() => {
            this.stats.watchNotifications += 1;
          });
          if ((await stage.holder(raceDeadline(woken, deadline, lost, signal))) === 'timeout') throw new LockTimeoutError(resource, waitMs, this.kind);
          continue;
        }
        // Our own create, re-sent by the client after its answer was lost: we hold the lock.
      }
      let released = false;
      const own = await watchOwnNode(this.session, node, () => !released);
      // Deleted (an operator, or our session's end) and maybe taken by someone else since: race again.
      if (!own || !this.isOurs(own, data, created)) continue;
      const linked = linkSignals(lost, own.deleted);
      const createdAt = own.czxid.toString('hex');
      this.held.add(createdAt);
      return {
        resource,
        token: zxidToNumber(own.czxid),
        lost: linked.signal,
        release: async () => {
          if (released) return;
          released = true;
          linked.dispose();
          this.held.delete(createdAt);
          await this.removeIfOurs(node, data, own.czxid);
        },
      };
    }
  }
}
