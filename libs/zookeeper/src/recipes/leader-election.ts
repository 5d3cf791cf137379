import { EventEmitter } from 'node:events';
import { CreateMode } from 'node-zookeeper-client';
import { isNoNode } from '../errors';
import { LogSink } from '../log-sink';
import { ZookeeperSession } from '../zookeeper-session';
import { runWithRetry } from './retry-later';

const PREFIX = 'n_';

export interface LeaderElectionEvents {
  elected: [token: number];
  deposed: [reason: string];
}

/**
 * Leader election (the ZooKeeper recipe): each candidate creates an ephemeral-sequential node;
 * the lowest is the leader; every other candidate watches only the node just ahead of it, so a
 * leader's death wakes exactly its successor. The leader's sequence number is its fencing token.
 *
 * Events: `elected` (token), `deposed` (reason). A suspended session deposes at once: the
 * leader cannot know whether its node still exists.
 */
export class LeaderElection extends EventEmitter<LeaderElectionEvents> {
  private ourNode?: string;
  private leading = false;
  private closed = false;
  private attempt = 0;

  constructor(
    private readonly session: ZookeeperSession,
    /** e.g. `/ordernum/election` */
    private readonly path: string,
    private readonly candidateId: string,
    private readonly logger?: LogSink,
  ) {
    super();
    session.on('suspended', () => this.depose('ZooKeeper session suspended'));
    session.on('expired', () => {
      this.ourNode = undefined; // gone with the session
      this.depose('ZooKeeper session expired');
    });
    session.on('reconnected', () => this.recheck());
    session.on('session', () => this.recheck());
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** The leader's fencing token (its node's sequence number), while this candidate leads. */
  get token(): number | undefined {
    return this.leading && this.ourNode ? tokenOf(this.ourNode) : undefined;
  }

  start(): void {
    this.recheck();
  }

  /** The current leader's candidate ID, read from ZooKeeper (null when nobody stands). */
  async leaderId(): Promise<string | null> {
    const queue = await this.queue();
    if (queue.length === 0) return null;
    try {
      const { data } = await this.session.api().getData(`${this.path}/${queue[0]}`);
      return data ? data.toString() : null;
    } catch (error) {
      if (isNoNode(error)) return null; // left between the two reads; the caller may ask again
      throw error;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.depose('closed');
    if (!this.ourNode) return;
    try {
      await this.session.api().remove(this.ourNode);
    } catch (error) {
      // Not fatal: the node is ephemeral and goes with the session, which the caller closes next.
      this.logger?.warn(`could not withdraw ${this.ourNode}: ${(error as Error).message}`);
    }
  }

  private recheck(): void {
    const attempt = ++this.attempt;
    runWithRetry(this.logger, 'election', () => this.check(attempt), () => this.closed || attempt !== this.attempt);
  }

  private async check(attempt: number): Promise<void> {
    if (this.closed || attempt !== this.attempt) return;
    const api = this.session.api();
    if (!this.ourNode || !(await api.exists(this.ourNode))) {
      await api.mkdirp(this.path);
      this.ourNode = await api.create(`${this.path}/${PREFIX}`, Buffer.from(this.candidateId), CreateMode.EPHEMERAL_SEQUENTIAL);
    }
    const queue = await this.queue();
    const ours = this.ourNode.slice(this.path.length + 1);
    const position = queue.indexOf(ours);
    if (position === 0) return this.elect(this.ourNode);
    if (position < 0) {
      this.ourNode = undefined;
      throw new Error('our candidate node vanished');
    }
    this.depose('a candidate ahead of us exists');
    const ahead = await api.exists(`${this.path}/${queue[position - 1]}`, () => this.recheck());
    if (ahead === null) this.recheck(); // it left between the two reads
  }

  private async queue(): Promise<string[]> {
    try {
      return (await this.session.api().getChildren(this.path)).filter((name) => name.startsWith(PREFIX)).sort();
    } catch (error) {
      if (isNoNode(error)) return [];
      throw error;
    }
  }

  private elect(ourNode: string): void {
    if (this.leading) return;
    this.leading = true;
    const token = tokenOf(ourNode);
    this.logger?.log(`${this.candidateId} is the leader (token ${token})`);
    this.emit('elected', token);
  }

  private depose(reason: string): void {
    if (!this.leading) return;
    this.leading = false;
    this.logger?.warn(`${this.candidateId} is no longer the leader: ${reason}`);
    this.emit('deposed', reason);
  }
}

/** A candidate's fencing token: the 10-digit sequence ZooKeeper appended to its node. */
function tokenOf(node: string): number {
  return Number(node.slice(-10));
}
