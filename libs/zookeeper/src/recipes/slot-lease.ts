import { CreateMode } from 'node-zookeeper-client';
import { UnavailableError } from '@app/errors';
import { isNodeExists } from '../errors';
import { ZookeeperSession } from '../zookeeper-session';

export interface LeasedSlot {
  slot: number;
  path: string;
  /** Aborted when the session that holds the lease is suspended, expires or closes. */
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
 * A slot this very session already holds counts as free for it.
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
        return { slot, path, lost };
      } catch (error) {
        if (!isNodeExists(error)) throw error;
      }
      // Still ours from before a suspension the session survived: take it back rather than leak it.
      const holder = await api.exists(path);
      if (holder && holder.ephemeralOwner.toString('hex') === this.session.sessionId) return { slot, path, lost };
    }
    throw new NoFreeSlotError(this.path, this.slots);
  }

  /**
   * Takes back `previous` if this session still holds it (a suspension the session survived), with
   * a fresh `lost` signal; null when it is gone. Keeps a replica on its worker ID across blips.
   */
  async reclaim(previous: LeasedSlot): Promise<LeasedSlot | null> {
    const lost = this.session.lostSignal();
    const holder = await this.session.api().exists(previous.path);
    if (!holder || holder.ephemeralOwner.toString('hex') !== this.session.sessionId) return null;
    return { slot: previous.slot, path: previous.path, lost };
  }

  async release(leased: LeasedSlot): Promise<void> {
    await this.session.api().remove(leased.path);
  }
}
