import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { LogSink } from '../log-sink';
import { CreateMode, Event } from 'node-zookeeper-client';
import { isNoNode, ZookeeperUnavailableError } from '../errors';
import { zxidToNumber } from '../zookeeper-ops';
import { ZookeeperSession } from '../zookeeper-session';
import { runWithRetry } from './retry-later';
import { markedBy, queuePlace, watchPredecessor } from './sequential-queue';

const PREFIX = 'n_';

export interface LeaderElectionEvents {
  elected: [token: number];
  deposed: [reason: string];
}

/**
 * Leader election (the ZooKeeper recipe): each candidate creates an ephemeral-sequential node;
 * the lowest is the leader; every other candidate watches only the node just ahead of it, so a
 * leader's death wakes exactly its successor. The leader's fencing token is its node's creation
 * zxid: it grows across an operator's deletion of the folder, where sequence numbers start again.
 *
 * Every candidate also watches its own node: deleted by an operator, it means mastership lost, and
 * the candidate enters again. Node names carry a random marker (Curator's protected mode), so a
 * create whose answer was lost and which the client re-sent leaves no twin ahead of us for as
 * long as the session lives: twins and the nodes of a failed create are deleted by their marker.
 *
 * Events: `elected` (token), `deposed` (reason). A suspended session deposes at once: the
 * leader cannot know whether its node still exists.
 */
export class LeaderElection extends EventEmitter<LeaderElectionEvents> {
  private ourNode?: string;
  /** The marker in our node's name (see `markedBy`). */
  private marker = '';
  private ourToken?: number;
  private entering?: Promise<void>;
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

  /** The leader's fencing token (its node's creation zxid), while this candidate leads. */
  get token(): number | undefined {
    return this.leading ? this.ourToken : undefined;
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
    // One create at a time: a check started by `reconnected` while another one's create is still
    // under way must not create a second node (with a second marker) beside it.
    if (!this.ourNode) {
      this.entering ??= this.enter().finally(() => (this.entering = undefined));
      await this.entering;
      if (attempt !== this.attempt) return;
    }
    const ourNode = this.ourNode as string;
    const ours = ourNode.slice(this.path.length + 1);
    const children = await this.children();
    const twins = markedBy(children, this.marker).filter((name) => name !== ours);
    await Promise.all(twins.map((twin) => this.session.deleteOwnEphemeral(`${this.path}/${twin}`)));
    const { position, predecessor } = queuePlace(children.filter((name) => !twins.includes(name)), ours, PREFIX);
    // Our node was deleted while the session lives (an operator): enter again.
    if (position < 0) return this.reenter(ourNode, 'our candidate node was deleted');
    const czxid = await this.watchOwnNode(ourNode);
    if (czxid === undefined) return this.reenter(ourNode, 'our candidate node was deleted');
    if (predecessor === undefined) return this.elect(czxid);
    this.depose('a candidate ahead of us exists');
    if (!(await watchPredecessor(api, `${this.path}/${predecessor}`, () => this.recheck()))) this.recheck(); // it left between the two reads
  }

  /** Creates our candidate node; a create that fails may still have happened: its nodes are deleted by marker. */
  private async enter(): Promise<void> {
    const api = this.session.api();
    const marker = randomUUID();
    this.marker = marker;
    try {
      await api.mkdirp(this.path);
      this.ourNode = await api.create(`${this.path}/${PREFIX}${marker}-`, Buffer.from(this.candidateId), CreateMode.EPHEMERAL_SEQUENTIAL);
    } catch (error) {
      if (error instanceof ZookeeperUnavailableError) {
        await this.session.cleanUp(async () => {
          await Promise.all(markedBy(await this.children(), marker).map((name) => this.session.deleteOwnEphemeral(`${this.path}/${name}`)));
        });
      }
      throw error;
    }
  }

  /** Our node's creation zxid, with a watch that tells a leader at once that an operator deleted it; undefined when gone. */
  private async watchOwnNode(node: string): Promise<number | undefined> {
    try {
      return zxidToNumber((await this.session.api().getData(node, this.onOwnNodeEvent)).stat.czxid);
    } catch (error) {
      if (isNoNode(error)) return undefined;
      throw error;
    }
  }

  private reenter(node: string, reason: string): void {
    if (this.ourNode !== node) return;
    this.ourNode = undefined;
    this.depose(reason);
    this.recheck();
  }

  private readonly onOwnNodeEvent = (event: Event): void => {
    if (event.getType() === Event.NODE_DELETED && !this.closed) this.reenter(event.getPath(), 'our candidate node was deleted');
  };

  private async queue(): Promise<string[]> {
    return queuePlace(await this.children(), '', PREFIX).queue;
  }

  private async children(): Promise<string[]> {
    try {
      return await this.session.api().getChildren(this.path);
    } catch (error) {
      if (isNoNode(error)) return [];
      throw error;
    }
  }

  private elect(token: number): void {
    if (this.leading) return;
    this.ourToken = token;
    this.leading = true;
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
