import { CreateMode } from 'node-zookeeper-client';
import { isNodeExists, isNoNode } from '../errors';
import { LogSink } from '../log-sink';
import { ZookeeperSession } from '../zookeeper-session';
import { runWithRetry } from './retry-later';

/**
 * An ephemeral node kept in place for as long as this object is open (Curator's PersistentNode):
 * created on start, created again in every new session after an expiry, and whenever it is
 * deleted while we keep it (an operator's `deleteall` of the folder: it is watched), removed on
 * close. The service registry's entries are these.
 */
export class EphemeralNode {
  private closed = false;
  private readonly onSession = () => this.ensure();
  // One function for every watch: node-zookeeper-client registers a given function once per path.
  // Deleted: create it again; any other news consumed the watch, and `create` arms it again.
  private readonly onNodeEvent = () => this.ensure();

  constructor(
    private readonly session: ZookeeperSession,
    readonly path: string,
    private readonly data: Buffer,
    private readonly logger?: LogSink,
  ) {}

  /** Resolves once the node exists; later re-creations happen in the background. */
  async start(): Promise<void> {
    this.session.on('session', this.onSession);
    await this.create();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.session.off('session', this.onSession);
    try {
      await this.session.api().remove(this.path);
    } catch (error) {
      if (isNoNode(error)) return;
      // Not fatal: the node is ephemeral and disappears when the caller closes the session.
      this.logger?.warn(`could not remove ${this.path}: ${(error as Error).message}`);
    }
  }

  private ensure(): void {
    runWithRetry(this.logger, `re-creating ${this.path}`, () => this.create(), () => this.closed);
  }

  private async create(): Promise<void> {
    if (this.closed) return;
    const api = this.session.api();
    await api.mkdirp(this.path.slice(0, this.path.lastIndexOf('/')));
    try {
      await api.create(this.path, this.data, CreateMode.EPHEMERAL);
    } catch (error) {
      if (!isNodeExists(error)) throw error;
      // Left by an earlier session of ours (a restart within the session timeout): replace it.
      const stat = await api.exists(this.path);
      if (stat && stat.ephemeralOwner.toString('hex') !== this.session.sessionId) await api.remove(this.path);
      if (!stat || stat.ephemeralOwner.toString('hex') !== this.session.sessionId) await api.create(this.path, this.data, CreateMode.EPHEMERAL);
    }
    // Deleted between the create and the watch: create it again.
    if ((await api.exists(this.path, this.onNodeEvent)) === null) throw new Error(`${this.path} was deleted right after its creation`);
  }
}
