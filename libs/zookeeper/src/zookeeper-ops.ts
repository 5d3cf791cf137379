import { ACL, Client, CreateMode, Event, Exception, Stat } from 'node-zookeeper-client';
import { nodeAcls } from './digest-auth';
import { ZookeeperOperationError, ZookeeperUnavailableError } from './errors';

export type Watcher = (event: Event) => void;

/** Codes that mean "the connection is in doubt", as opposed to an answer about the data. */
const CONNECTION_CODES = new Set([Exception.CONNECTION_LOSS, Exception.SESSION_EXPIRED, Exception.OPERATION_TIMEOUT]);

/**
 * node-zookeeper-client's callbacks as promises, each with a deadline: the client queues requests
 * while it is disconnected and never answers while a server hangs, so without a deadline a caller
 * could wait forever.
 */
export class ZookeeperOps {
  constructor(
    private readonly client: Client,
    private readonly deadlineMs: number,
    /** Told of an ephemeral node created after its caller gave up on it. */
    private readonly onAbandonedNode: (path: string) => void = () => undefined,
    /** The ACL of every node created through here (`nodeAcls`): chosen once, per session, never per call. */
    private readonly acls: ACL[] = nodeAcls(undefined),
  ) {}

  /**
   * Creates a node. If the deadline passes and the create succeeds later anyway, an ephemeral node
   * is handed to `onAbandonedNode` to be deleted: the caller has given up on it, and an orphan lock
   * node would block every other waiter until this session ends.
   */
  create(path: string, data: Buffer, mode: number): Promise<string> {
    const ephemeral = mode === CreateMode.EPHEMERAL || mode === CreateMode.EPHEMERAL_SEQUENTIAL;
    return this.call<string>('create', path, (done) => this.client.create(path, data, this.acls, mode, done), (created) => {
      if (ephemeral) this.onAbandonedNode(created);
    });
  }

  remove(path: string, version = -1): Promise<void> {
    return this.call<void>('remove', path, (done) => this.client.remove(path, version, (error) => done(error)));
  }

  exists(path: string, watcher?: Watcher): Promise<Stat | null> {
    return this.call<Stat | null>('exists', path, (done) =>
      watcher
        ? this.client.exists(path, watcher, (error, stat) => done(error, stat ?? null))
        : this.client.exists(path, (error, stat) => done(error, stat ?? null)),
    );
  }

  getChildren(path: string, watcher?: Watcher): Promise<string[]> {
    return this.call<string[]>('getChildren', path, (done) =>
      watcher
        ? this.client.getChildren(path, watcher, (error, children) => done(error, children))
        : this.client.getChildren(path, (error, children) => done(error, children)),
    );
  }

  getData(path: string, watcher?: Watcher): Promise<{ data: Buffer | null; stat: Stat }> {
    return this.call('getData', path, (done) => {
      const callback = (error: Error | Exception | null, data: Buffer, stat: Stat) => done(error, { data, stat });
      if (watcher) this.client.getData(path, watcher, callback);
      else this.client.getData(path, callback);
    });
  }

  setData(path: string, data: Buffer, version = -1): Promise<Stat> {
    return this.call<Stat>('setData', path, (done) => this.client.setData(path, data, version, done));
  }

  mkdirp(path: string): Promise<void> {
    return this.call<void>('mkdirp', path, (done) => this.client.mkdirp(path, this.acls, (error) => done(error)));
  }

  private call<T>(
    operation: string,
    path: string,
    start: (done: (error: Error | Exception | null, value?: T) => void) => void,
    onLateSuccess?: (value: T) => void,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        reject(new ZookeeperUnavailableError(`ZooKeeper ${operation} ${path}: no answer within ${this.deadlineMs} ms`, operation, path));
      }, this.deadlineMs);
      start((error, value) => {
        if (settled) {
          if (!error && onLateSuccess) onLateSuccess(value as T);
          return;
        }
        settled = true;
        clearTimeout(timer);
        if (!error) resolve(value as T);
        else reject(translate(error, operation, path));
      });
    });
  }
}

function translate(error: Error | Exception, operation: string, path: string): Error {
  if (!(error instanceof Exception)) {
    return new ZookeeperUnavailableError(`ZooKeeper ${operation} ${path}: ${error.message}`, operation, path, { cause: error });
  }
  if (CONNECTION_CODES.has(error.getCode())) {
    return new ZookeeperUnavailableError(`ZooKeeper ${operation} ${path}: ${error.getName()}`, operation, path, { cause: error });
  }
  return new ZookeeperOperationError(error.getCode(), error.getName(), operation, path, { cause: error });
}

/** A zxid (8 bytes, big-endian) as a number: exact while the epoch stays below 2^21. */
export function zxidToNumber(zxid: Buffer): number {
  return zxid.readUInt32BE(0) * 2 ** 32 + zxid.readUInt32BE(4);
}
