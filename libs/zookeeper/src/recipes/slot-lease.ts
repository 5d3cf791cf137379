import { linkSignals } from '../linked-signal';
import { CreateMode, Event } from 'node-zookeeper-client';
import { UnavailableError } from '@app/errors';
import { isNodeExists } from '../errors';
import { ZookeeperSession } from '../zookeeper-session';

export interface LeasedSlot {
  slot: number;
  path: string;
  /** Aborted when the session that holds the lease is suspended, expires or closes, or when the node is deleted. */
  lost: AbortSignal;
}

/** Every slot is taken. */
export class NoFreeSlotError extends UnavailableError {
  constructor(
    readonly path: string,
    readonly slots: number,
  ) {
    super(`all ${slots} slots under ${path} are leased`);
  }
}

/**
 * Leases the lowest free slot 0..slots-1 as an ephemeral node `<path>/NN`: creating it fails while
 * another session holds it, so two live holders can never share a slot (snowflake worker IDs).
 * A slot this very session already holds counts as free for it. The lease watches its node: an
 * operator who deletes it takes the lease away (`lost`), and the holder must stop and lease again;
 * re-creating it blindly could take a slot someone else has leased since.
 */
export class SlotLease {
  constructor(
    private readonly session: ZookeeperSession,
    /** e.g. `/ordernum/workers` */
    private readonly path: string,
    private readonly slots: number,
    private readonly owner: string,
  ) {}

  async acquire(): Promise<LeasedSlot> {
    const lost = this.session.lostSignal();
    const api = this.session.api();
    await api.mkdirp(this.path);
    const digits = String(this.slots - 1).length;
    for (let slot = 0; slot < this.slots; slot += 1) {
      const path = `${this.path}/${String(slot).padStart(digits, '0')}`;
      try {
        await api.create(path, Buffer.from(this.owner), CreateMode.EPHEMERAL);
      } catch (error) {
        if (!isNodeExists(error)) throw error;
      }
      // Ours if we just created it, or still ours from before a suspension the session survived
      // (take it back rather than leak it); deleted right away: try the next slot.
      const leased = await this.watched(slot, path, lost);
      if (leased) return leased;
    }
    throw new NoFreeSlotError(this.path, this.slots);
  }

  /**
   * Takes back `previous` if this session still holds it (a suspension the session survived), with
   * a fresh `lost` signal; null when it is gone. Keeps a replica on its worker ID across blips.
   */
  async reclaim(previous: LeasedSlot): Promise<LeasedSlot | null> {
    return this.watched(previous.slot, previous.path, this.session.lostSignal());
  }

  /** The lease on `path` if this session holds it, with a watch that aborts `lost` when the node is deleted. */
  private async watched(slot: number, path: string, sessionLost: AbortSignal): Promise<LeasedSlot | null> {
    const deleted = new AbortController();
    const holder = await this.session.api().exists(path, (event: Event) => {
      if (event.getType() === Event.NODE_DELETED) deleted.abort(new Error(`${path} was deleted: the lease is lost`));
    });
    if (!holder || holder.ephemeralOwner.toString('hex') !== this.session.sessionId) return null;
    // Followed for as long as the lease lives: one per lease, not per request.
    return { slot, path, lost: linkSignals(sessionLost, deleted.signal).signal };
  }

  async release(leased: LeasedSlot): Promise<void> {
    await this.session.api().remove(leased.path);
  }
}
