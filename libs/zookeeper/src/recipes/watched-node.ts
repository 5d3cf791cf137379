import { EventEmitter } from 'node:events';
import { Stat } from 'node-zookeeper-client';
import { CreateMode } from 'node-zookeeper-client';
import { isNodeExists, isNoNode } from '../errors';
import { LogSink } from '../log-sink';
import { ZookeeperSession } from '../zookeeper-session';
import { runWithRetry } from './retry-later';

export interface WatchedNodeEvents {
  /** The node's data and version after every change; null and -1 while it does not exist. */
  data: [data: Buffer | null, version: number, stat: Stat | null];
}

/**
 * Follows one node's data (the config center's recipe): read with a watch, and on every
 * notification read again and re-arm, so no change is missed (a watch fires once). A node that
 * does not exist is watched with `exists` until it appears, unless the owner can `restore` it:
 * then a deleted node is created again from what `restore` returns (the config center's last good
 * value), so an operator's `deleteall` does not leave the cluster without it.
 * Emits `data` (Buffer | null, version, stat | null): the stat carries the mzxid the epoch is made of.
 */
export class WatchedNode extends EventEmitter<WatchedNodeEvents> {
  private closed = false;
  private reads = 0;
  private readonly reread = () => this.refresh();

  constructor(
    private readonly session: ZookeeperSession,
    readonly path: string,
    /** What to create the node from when it is found missing; null: wait for someone to create it. */
    private readonly restore: () => Buffer | null = () => null,
    private readonly logger?: LogSink,
  ) {
    super();
  }

  /** Creates the node with `seed` if it does not exist yet, then reads it and follows it. */
  async start(seed?: Buffer): Promise<void> {
    this.session.on('session', this.reread);
    this.session.on('reconnected', this.reread);
    if (seed) await this.createIfAbsent(seed);
    await this.read(++this.reads);
  }

  close(): void {
    this.closed = true;
    this.session.off('session', this.reread);
    this.session.off('reconnected', this.reread);
    this.removeAllListeners();
  }

  private async createIfAbsent(data: Buffer): Promise<void> {
    const api = this.session.api();
    await api.mkdirp(this.path.slice(0, this.path.lastIndexOf('/')));
    try {
      await api.create(this.path, data, CreateMode.PERSISTENT);
    } catch (error) {
      if (!isNodeExists(error)) throw error; // another replica created it first: theirs stands
    }
  }

  private refresh(): void {
    const read = ++this.reads;
    runWithRetry(this.logger, `reading ${this.path}`, () => this.read(read), () => this.closed || read !== this.reads);
  }

  private async read(read: number): Promise<void> {
    if (this.closed || read !== this.reads) return;
    // Only the newest read's watch may trigger another read, so watches never multiply.
    const watcher = () => {
      if (read === this.reads) this.refresh();
    };
    const api = this.session.api();
    try {
      const { data, stat } = await api.getData(this.path, watcher);
      this.emit('data', data, stat.version, stat);
    } catch (error) {
      if (!isNoNode(error)) throw error;
      const backup = this.restore();
      if (backup) {
        await this.createIfAbsent(backup);
        return this.read(read);
      }
      const stat = await api.exists(this.path, watcher);
      if (stat) this.refresh(); // created between the two calls
      else this.emit('data', null, -1, null);
    }
  }
}
