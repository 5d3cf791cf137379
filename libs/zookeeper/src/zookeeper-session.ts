import { EventEmitter } from 'node:events';
import { Client, createClient, State } from 'node-zookeeper-client';
import { ZookeeperUnavailableError } from './errors';
import { ZookeeperOps } from './zookeeper-ops';

export interface ZookeeperSessionOptions {
  /** `host:port,host:port,...` */
  connect: string;
  sessionTimeoutMs: number;
  /** Deadline of each request; the session timeout unless set. */
  operationTimeoutMs?: number;
  /** How long `open()` waits for the first session. */
  connectTimeoutMs?: number;
  logger?: { log(message: string): void; warn(message: string): void };
}

export type SessionState = 'connecting' | 'connected' | 'suspended' | 'expired' | 'closed';

/**
 * One ZooKeeper session that survives its own expiry.
 *
 * node-zookeeper-client notices neither a hung server nor, by itself, an expired session until
 * the server answers again, and an expired client never recovers. So this class probes the server
 * with a round trip on a deadline, reports silence as `suspended` (every `lostSignal()` handed out
 * is aborted: a lock held in this session may be gone), and after expiry builds a new client and
 * emits `session` so that recipes re-create their ephemeral nodes.
 *
 * Events: `suspended` (reason), `reconnected` (same session, ephemerals intact),
 * `expired`, `session` (generation: a new session after expiry).
 */
export class ZookeeperSession extends EventEmitter {
  private client!: Client;
  private ops!: ZookeeperOps;
  private current: SessionState = 'connecting';
  private generationCount = 0;
  private liveness = new AbortController();
  private probeTimer?: NodeJS.Timeout;
  private probing = false;
  private readonly operationTimeoutMs: number;

  private constructor(private readonly options: ZookeeperSessionOptions) {
    super();
    this.operationTimeoutMs = options.operationTimeoutMs ?? options.sessionTimeoutMs;
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

  /** Increments with every new session (after an expiry). */
  get generation(): number {
    return this.generationCount;
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
    if (this.current !== 'connected') return AbortSignal.abort(new ZookeeperUnavailableError(`ZooKeeper session is ${this.current}`, 'session', undefined));
    return this.liveness.signal;
  }

  /** The request API of the live session; fails fast while the session is not connected. */
  api(): ZookeeperOps {
    if (this.current !== 'connected') {
      throw new ZookeeperUnavailableError(`ZooKeeper session is ${this.current} (${this.options.connect})`, 'session', undefined);
    }
    return this.ops;
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
        reject(new ZookeeperUnavailableError(`no ZooKeeper server answered at ${this.options.connect} within ${deadlineMs} ms`, 'connect', undefined));
      }, deadlineMs);
      this.client.once('connected', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    // Half the remaining session time for the answer leaves time to abort leases before the server expires us.
    const interval = Math.max(200, Math.floor(this.options.sessionTimeoutMs / 3));
    this.probeTimer = setInterval(() => this.probe(interval), interval);
    this.probeTimer.unref();
  }

  private buildClient(): void {
    this.client = createClient(this.options.connect, {
      sessionTimeout: this.options.sessionTimeoutMs,
      spinDelay: 200,
      retries: 1,
    });
    this.ops = new ZookeeperOps(this.client, this.operationTimeoutMs);
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
    this.liveness = new AbortController();
    if (wasExpired) {
      this.generationCount += 1;
      this.options.logger?.log(`ZooKeeper session ${this.sessionId} established (generation ${this.generationCount})`);
      this.emit('session', this.generationCount);
    } else if (wasSuspended) {
      this.options.logger?.log(`ZooKeeper session ${this.sessionId} reconnected`);
      this.emit('reconnected');
    }
  }

  private suspend(reason: string): void {
    if (this.current !== 'connected') return;
    this.options.logger?.warn(`ZooKeeper session suspended: ${reason}`);
    this.setLost('suspended', reason);
    this.emit('suspended', reason);
  }

  private onExpired(): void {
    if (this.current === 'expired') return;
    this.options.logger?.warn(`ZooKeeper session ${this.sessionId} expired; building a new client`);
    this.setLost('expired', 'ZooKeeper session expired');
    this.emit('expired');
    this.client.close();
    this.buildClient();
  }

  private setLost(state: SessionState, reason: string): void {
    this.current = state;
    this.liveness.abort(new ZookeeperUnavailableError(reason, 'session', undefined));
  }

  /** A round trip with a deadline: the only way to notice a server that accepts bytes but never answers. */
  private probe(deadlineMs: number): void {
    if (this.probing || this.current === 'closed' || this.current === 'expired') return;
    this.probing = true;
    const client = this.client;
    const timer = setTimeout(() => this.suspend(`no answer from ZooKeeper within ${deadlineMs} ms`), deadlineMs);
    client.exists('/', (error) => {
      clearTimeout(timer);
      this.probing = false;
      if (client !== this.client) return;
      if (!error && this.current === 'suspended' && client.getState() === State.SYNC_CONNECTED) this.onConnected();
    });
  }
}
