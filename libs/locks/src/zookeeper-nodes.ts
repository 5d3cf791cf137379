import { Event } from 'node-zookeeper-client';
import { isNoNode, LogSink, ZookeeperSession } from '@app/zookeeper';

/** Creates `path` (and its parents) once per process; later calls are free until `createInFolder` finds it gone. */
export async function ensurePath(session: ZookeeperSession, path: string, createdParents: Set<string>): Promise<void> {
  if (createdParents.has(path)) return;
  await session.api().mkdirp(path);
  createdParents.add(path);
}

/**
 * Creates `<folder>/<name>`. An operator may delete the folder at any time (`deleteall`): NO_NODE
 * then means "create the folder again", not "fail every later request until a restart".
 */
export async function createInFolder(
  session: ZookeeperSession,
  folder: string,
  name: string,
  data: Buffer,
  mode: number,
  createdParents: Set<string>,
): Promise<string> {
  for (let attempt = 1; ; attempt += 1) {
    await ensurePath(session, folder, createdParents);
    try {
      return await session.api().create(`${folder}/${name}`, data, mode);
    } catch (error) {
      // Deleted again between our mkdirp and our create, twice in a row: let the caller answer 503.
      if (!isNoNode(error) || attempt === 3) throw error;
      createdParents.delete(folder);
    }
  }
}

export interface OwnNode {
  czxid: Buffer;
  data: Buffer | null;
  /** The session that owns the node, hex as `ZookeeperSession.sessionId`. */
  ephemeralOwner: string;
  /** Aborted when the node is deleted by anyone but us: whoever held a lock by it holds it no more. */
  deleted: AbortSignal;
}

/**
 * Reads our node with a watch on it, so that an operator deleting it aborts `deleted` (the lease's
 * `lost`). Undefined when it is gone already. `stillOurs` turns the watch off once we delete it ourselves.
 */
export async function watchOwnNode(session: ZookeeperSession, path: string, stillOurs: () => boolean): Promise<OwnNode | undefined> {
  const deleted = new AbortController();
  const watcher = (event: Event) => {
    if (event.getType() === Event.NODE_DELETED && stillOurs()) deleted.abort(new Error(`${path} was deleted`));
  };
  try {
    const { data, stat } = await session.api().getData(path, watcher);
    return { czxid: stat.czxid, data, ephemeralOwner: stat.ephemeralOwner.toString('hex'), deleted: deleted.signal };
  } catch (error) {
    if (isNoNode(error)) return undefined;
    throw error;
  }
}

/**
 * Deletes a node this session created, now or (ZooKeeper unreachable) when the session reconnects.
 * Other failures are not rethrown: the node is ephemeral, so the end of the session removes it,
 * and the caller's result (an order number already issued) must not turn into an error because of
 * it. They are logged instead.
 */
export async function removeOwnNode(session: ZookeeperSession, path: string, logger: LogSink | undefined): Promise<void> {
  try {
    await session.deleteOwnEphemeral(path);
  } catch (error) {
    logger?.warn(`could not delete ${path}; the session's end will: ${(error as Error).message}`);
  }
}
