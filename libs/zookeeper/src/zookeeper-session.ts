import { EventEmitter, setMaxListeners } from 'node:events';
import { Client, createClient, State } from 'node-zookeeper-client';
import { isNoNode, ZookeeperUnavailableError } from './errors';
import { nodeAcls, ZookeeperAuth } from './digest-auth';
import { guardFrames } from './frame-guard';
import { enforceHandshakeDeadline } from './handshake-deadline';
import { LogSink } from './log-sink';
import { CleanupTask, SessionCleanups } from './session-cleanups';
import { ZookeeperOps } from './zookeeper-ops';

export interface ZookeeperSessionOptions {
  /** `host:port,host:port,...` */
  connect: string;
  sessionTimeoutMs: number;
  /** Deadline of each request; the session timeout unless set. */
  operationTimeoutMs?: number;
  /** How long `open()` waits for the first session. */
  connectTimeoutMs?: number;
  logger?: LogSink;
  /** Digest credentials (`ZK_AUTH`): sent on every (re)connection, and the nodes created get `nodeAcls(auth)`. */
  auth?: ZookeeperAuth;
}

export type SessionState = 'connecting' | 'connected' | 'suspended' | 'expired' | 'closed';

/** What a session tells its recipes; see the class comment. */
export interface ZookeeperSessionEvents {
  suspended: [reason: string];
  reconnected: [];
  expired: [];
  session: [generation: number];
}

/**
 * One ZooKeeper session that survives its own expiry.
 *
 * node-zookeeper-client notices neither a hung server nor, by itself, an expired session until
 * the server answers again, and an expired client never recovers. So this class probes the server
 * with a round trip on a deadline, reports silence as `suspended` (every `lostSignal()` handed out
 * is aborted: a lock held in this session may be gone), and after expiry builds a new client and
 * emits `session` so that recipes re-create their ephemeral nodes. A session suspended for a whole
 * session timeout is given up the same way (as Curator does): the server has expired it by then,
 * or, restarted without its data, refuses to hear of it at all.
 *
 * Events: `suspended` (reason), `reconnected` (same session, ephemerals intact),
 * `expired`, `session` (generation: a new session after expiry).
 */
export class ZookeeperSession extends EventEmitter<ZookeeperSessionEvents> {
  private client!: Client;
  private ops!: ZookeeperOps;
  private current: SessionState = 'connecting';
  private generationCount = 0;
  private liveness = livenessController();
  private probeTimer?: NodeJS.Timeout;
  /** When the server last answered us (a probe or a (re)connection). */
  private lastAnswerAt = Date.now();
  /** When the outstanding probe was sent; undefined when none is. */
  private probeSentAt?: number;
  private readonly operationTimeoutMs: number;
  /**
   * Silence longer than this suspends the session: half the session timeout, so leases are marked
   * lost before the server could expire us.
   */
  private readonly silenceLimitMs: number;
  private readonly cleanups = new SessionCleanups(this, (message) => this.options.logger?.warn(message));

  private constructor(private readonly options: ZookeeperSessionOptions) {
    super();
    this.operationTimeoutMs = options.operationTimeoutMs ?? options.sessionTimeoutMs;
    this.silenceLimitMs = Math.max(300, Math.floor(options.sessionTimeoutMs / 2));
  }

  /** Connects, or rejects with `ZookeeperUnavailableError` when no server answers in time. */
  static async open(options: ZookeeperSessionOptions): Promise<ZookeeperSession> {
    const session = new ZookeeperSession(options);
    await session.start();
    return session;
  }

  get state(): SessionState {
    return this.current;
  }

  get sessionId(): string {
    return this.client.getSessionId().toString('hex');
  }

  get connectString(): string {
    return this.options.connect;
  }

  get sessionTimeoutMs(): number {
    return this.options.sessionTimeoutMs;
  }

  /** Aborted as soon as this session is suspended, expires or closes; already aborted if it is not connected now. */
  lostSignal(): AbortSignal {
    if (this.current !== 'connected')
      return AbortSignal.abort(new ZookeeperUnavailableError(`ZooKeeper session is ${this.current}`, 'session', undefined));
    return this.liveness.signal;
  }

  /** The request API of the live session; fails fast while the session is not connected. */
  api(): ZookeeperOps {
    if (this.current !== 'connected') {
      throw new ZookeeperUnavailableError(`ZooKeeper session is ${this.current} (${this.options.connect})`, 'session', undefined);
    }
    return this.ops;
  }

  /**
   * Deletes an ephemeral node this session created and no longer wants. While the session is
   * suspended that cannot happen, yet the session may survive and keep the node, which would then
   * block everyone queued behind it: so the delete is retried when the session reconnects. After
   * an expiry there is nothing to do, the node went with the session.
   */
  async deleteOwnEphemeral(path: string): Promise<void> {
    await this.cleanUp(async (api) => {
      try {
        await api.remove(path);
      } catch (error) {
        if (!isNoNode(error)) throw error; // already gone: nothing to delete
      }
    });
  }

  /** Runs `task` now, or later if ZooKeeper does not answer now (see `SessionCleanups`). */
  cleanUp(task: CleanupTask): Promise<void> {
    return this.cleanups.run(task);
  }

  async close(): Promise<void> {
    if (this.current === 'closed') return;
    this.setLost('closed', 'session closed');
    clearInterval(this.probeTimer);
    this.client.close();
    this.removeAllListeners();
  }

  private async start(): Promise<void> {
    this.buildClient();
    const deadlineMs = this.options.connectTimeoutMs ?? 15000;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.client.close();
        this.current = 'closed';
        reject(
          new ZookeeperUnavailableError(
            `no ZooKeeper server answered at ${this.options.connect} within ${deadlineMs} ms`,
            'connect',
            undefined,
          ),
        );
      }, deadlineMs);
      this.client.once('connected', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    // Probing at a quarter of the session timeout notices silence within three quarters of it.
    const interval = Math.max(100, Math.floor(this.options.sessionTimeoutMs / 4));
    this.probeTimer = setInterval(() => this.probe(), interval);
    this.probeTimer.unref();
  }

  private buildClient(): void {
    this.client = createClient(this.options.connect, {
      sessionTimeout: this.options.sessionTimeoutMs,
      spinDelay: 200,
      retries: 1,
    });
    const auth = this.options.auth;
    // Before connect(): the client sends its credentials first on every connection, ahead of any request.
    if (auth) this.client.addAuthInfo('digest', Buffer.from(`${auth.user}:${auth.password}`));
    enforceHandshakeDeadline(this.client);
    guardFrames(this.client, (error) => this.options.logger?.warn(`ZooKeeper frame misread, connection dropped: ${error.message}`));
    this.ops = new ZookeeperOps(this.client, this.operationTimeoutMs, (path) => void this.deleteOwnEphemeral(path), nodeAcls(auth));
    this.probeSentAt = undefined; // a probe sent on the old client will never be answered
    const client = this.client;
    client.on('state', (state: State) => {
      if (client !== this.client || this.current === 'closed') return; // a replaced client's late news
      if (state === State.SYNC_CONNECTED) this.onConnected();
      else if (state === State.DISCONNECTED) this.suspend('disconnected from ZooKeeper');
      else if (state === State.EXPIRED) this.onExpired();
    });
    client.connect();
  }

  private onConnected(): void {
    const wasExpired = this.current === 'expired';
    const wasSuspended = this.current === 'suspended';
    this.current = 'connected';
    this.lastAnswerAt = Date.now();
    this.liveness = livenessController();
    if (wasExpired) {
      this.cleanups.drop();
      this.generationCount += 1;
      this.options.logger?.log(`ZooKeeper session ${this.sessionId} established (generation ${this.generationCount})`);
      this.emit('session', this.generationCount);
    } else if (wasSuspended) {
      this.options.logger?.log(`ZooKeeper session ${this.sessionId} reconnected`);
      this.cleanups.resume();
      this.emit('reconnected');
    }
  }

  private suspend(reason: string): void {
    if (this.current !== 'connected') return;
    this.options.logger?.warn(`ZooKeeper session suspended: ${reason}`);
    this.setLost('suspended', reason);
    this.emit('suspended', reason);
  }

  private onExpired(reason = 'ZooKeeper session expired'): void {
    if (this.current === 'expired') return;
    this.options.logger?.warn(`ZooKeeper session ${this.sessionId} given up (${reason}); building a new client`);
    this.setLost('expired', reason);
    this.emit('expired');
    this.client.close();
    this.buildClient();
  }

  private setLost(state: SessionState, reason: string): void {
    this.current = state;
    this.liveness.abort(new ZookeeperUnavailableError(reason, 'session', undefined));
  }

  /**
   * A periodic round trip: the only way to notice a server that accepts bytes but never answers.
   * Judged by the time of the last answer, not by one probe's fate: a probe lost with a dropped
   * connection never calls back, and must neither block later probes nor suspend a session that
   * has reconnected since.
   */
  private probe(): void {
    if (this.current === 'closed' || this.current === 'expired') return;
    const now = Date.now();
    const silence = now - this.lastAnswerAt;
    if (this.current === 'connected' && silence > this.silenceLimitMs) this.suspend(`no answer from ZooKeeper for ${silence} ms`);
    if (this.current === 'suspended' && silence > this.options.sessionTimeoutMs) {
      // Curator's rule: silent for a whole session timeout, the session is as good as expired.
      // And it may never come back by itself: a ZooKeeper restarted without its data refuses a
      // client that has seen more zxids than it has ("client must try another server"), forever.
      this.onExpired(`no answer from ZooKeeper for ${silence} ms, a whole session timeout`);
      return;
    }
    // One probe in flight at a time, until it is given up on.
    if (this.probeSentAt !== undefined && now - this.probeSentAt < this.silenceLimitMs) return;
    this.probeSentAt = now;
    const client = this.client;
    client.exists('/', (error) => {
      if (client !== this.client) return;
      this.probeSentAt = undefined;
      if (error) return;
      this.lastAnswerAt = Date.now();
      if (this.current === 'suspended' && client.getState() === State.SYNC_CONNECTED) this.onConnected();
    });
  }
}

/**
 * Every lock waiter and lease of the session listens to its liveness signal, as many as requests
 * in flight (a replica under one lock per order has dozens): past Node's default of ten listeners
 * that is no leak, but it was warned about as one in every test run of the ZooKeeper locks.
 */
function livenessController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
