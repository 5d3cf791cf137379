import { CreateMode } from 'node-zookeeper-client';
import { isNodeExists, isNoNode } from '../errors';
import { ZookeeperSession } from '../zookeeper-session';

/** One reading of the local clock against ZooKeeper's. */
export interface ClockSample {
  /** Local clock minus ZooKeeper's, in ms: positive when the local clock is ahead. */
  offsetMs: number;
  /** Half the round trip: the true offset lies within `offsetMs` ± this. */
  uncertaintyMs: number;
}

/**
 * Reads ZooKeeper's own time off the `mtime` the server stamps on a write (the leader's clock when
 * it took the write): the one clock every replica shares. The write happened somewhere between the
 * two local readings around it, so the local midpoint is compared with it, within half the round trip.
 * The node is ephemeral: it goes with the session, and a deleted one is simply made again.
 */
export class ServerClockProbe {
  constructor(
    private readonly session: ZookeeperSession,
    private readonly path: string,
    private readonly localNow: () => number,
  ) {}

  async measure(): Promise<ClockSample> {
    const api = this.session.api();
    const before = this.localNow();
    let mtime: Buffer;
    try {
      mtime = (await api.setData(this.path, Buffer.alloc(0))).mtime;
    } catch (error) {
      if (!isNoNode(error)) throw error;
      await this.createNode();
      return this.measure(); // the create's own round trip must not count
    }
    const after = this.localNow();
    return { offsetMs: (before + after) / 2 - Number(mtime.readBigInt64BE(0)), uncertaintyMs: (after - before) / 2 };
  }

  private async createNode(): Promise<void> {
    const api = this.session.api();
    await api.mkdirp(this.path.slice(0, this.path.lastIndexOf('/')));
    try {
      await api.create(this.path, Buffer.alloc(0), CreateMode.EPHEMERAL);
    } catch (error) {
      if (!isNodeExists(error)) throw error; // made by a retry of ours meanwhile: as good
    }
  }
}
