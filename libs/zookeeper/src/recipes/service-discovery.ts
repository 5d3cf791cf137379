import { EventEmitter } from 'node:events';
import { isNoNode, ZookeeperOperationError, ZookeeperUnavailableError } from '../errors';
import { LogSink } from '../log-sink';
import { Watcher } from '../zookeeper-ops';
import { ZookeeperSession } from '../zookeeper-session';

/** One registered child: its node name and its parsed JSON data. */
export interface ServiceInstance<T> {
  id: string;
  data: T;
}

export interface ServiceDiscoveryOptions<T> {
  session: ZookeeperSession;
  /** The parent whose children are the instances, e.g. `/ordernum/services/order-service`. */
  path: string;
  /**
   * Turns a child's parsed JSON into `T`, or throws to skip that child (a half-written or foreign
   * node must not take down the whole view).
   */
  parse(json: unknown, id: string): T;
  /** Pause before re-reading after a failed read (ZooKeeper unavailable); default 250 ms. */
  retryDelayMs?: number;
  logger?: LogSink;
}

export interface ServiceDiscoveryEvents<T> {
  change: [instances: readonly ServiceInstance<T>[]];
}

/**
 * Keeps the current children of one path and their data, like Curator's ServiceCache.
 *
 * Every read arms a one-shot child watch (or, while the parent is absent, an existence watch);
 * a notification only marks the view dirty and the single refresh loop reads again, so changes
 * that arrive during a read are never lost and bursts coalesce into one read. A new session
 * (after expiry) has no watches, so it triggers a fresh read; so does `reconnected`, which is
 * cheap and covers a watch whose arming request was lost with the connection.
 *
 * While ZooKeeper is unavailable the last known view is kept: it is the best guess there is,
 * and the instances themselves answer for their own health.
 */
export class ServiceDiscovery<T> extends EventEmitter<ServiceDiscoveryEvents<T>> {
  private current: readonly ServiceInstance<T>[] = [];
  private fingerprint = '[]';
  private dirty = false;
  private loop: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  // One function for every watch: node-zookeeper-client registers a given function once per path.
  private readonly watcher: Watcher = () => this.refresh();
  private readonly onSessionEvent = (): void => this.refresh();

  constructor(private readonly options: ServiceDiscoveryOptions<T>) {
    super();
  }

  /** The instances as of the last successful read, sorted by id. */
  get instances(): readonly ServiceInstance<T>[] {
    return this.current;
  }

  /**
   * Starts watching. Resolves after the first read attempt, successful or not: a failed read
   * keeps retrying in the background, so discovery never blocks start-up on ZooKeeper.
   */
  async start(): Promise<void> {
    const { session } = this.options;
    session.on('session', this.onSessionEvent);
    session.on('reconnected', this.onSessionEvent);
    this.refresh();
    await this.loop;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.options.session.off('session', this.onSessionEvent);
    this.options.session.off('reconnected', this.onSessionEvent);
  }

  private refresh(): void {
    if (this.stopped) return;
    this.dirty = true;
    this.loop ??= this.run().finally(() => {
      this.loop = undefined;
    });
  }

  private async run(): Promise<void> {
    while (this.dirty && !this.stopped) {
      this.dirty = false;
      try {
        this.publish(await this.read());
      } catch (error) {
        this.options.logger?.warn(`service discovery on ${this.options.path}: ${(error as Error).message}; retrying`);
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => this.refresh(), this.options.retryDelayMs ?? 250);
        this.retryTimer.unref();
        return; // the timer (or a session event) reads again; retrying at once would spin
      }
    }
  }

  private async read(): Promise<ServiceInstance<T>[]> {
    const api = this.options.session.api();
    const { path } = this.options;
    let children: string[];
    try {
      children = await api.getChildren(path, this.watcher);
    } catch (error) {
      if (!isNoNode(error)) throw error;
      // No parent yet: no instances. The existence watch fires when it is created.
      if ((await api.exists(path, this.watcher)) !== null) this.dirty = true;
      return [];
    }
    const instances = await Promise.all(children.map((child) => this.readChild(child)));
    return instances
      .filter((instance): instance is ServiceInstance<T> => instance !== undefined)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  private async readChild(id: string): Promise<ServiceInstance<T> | undefined> {
    const childPath = `${this.options.path}/${id}`;
    try {
      const { data } = await this.options.session.api().getData(childPath);
      return { id, data: this.options.parse(JSON.parse(data?.toString('utf8') ?? 'null'), id) };
    } catch (error) {
      // Gone between getChildren and getData: the child watch has fired already and we read again.
      if (isNoNode(error)) return undefined;
      if (!(error instanceof ZookeeperUnavailableError || error instanceof ZookeeperOperationError)) {
        this.options.logger?.warn(`service discovery: skipping ${childPath}: ${(error as Error).message}`);
        return undefined;
      }
      throw error;
    }
  }

  private publish(instances: ServiceInstance<T>[]): void {
    const fingerprint = JSON.stringify(instances);
    if (fingerprint === this.fingerprint) return;
    this.fingerprint = fingerprint;
    this.current = instances;
    this.emit('change', instances);
  }
}
