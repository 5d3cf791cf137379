import { isNoNode } from '../errors';
import { Watcher, ZookeeperOps } from '../zookeeper-ops';

/** ZooKeeper appends a 10-digit counter to every sequential node's name, whatever its prefix. */
const SEQUENCE = /(\d{10})$/;

/** The counter ZooKeeper appended to `name`; names without one sort after every sequential node. */
export function sequenceOf(name: string): number {
  const match = SEQUENCE.exec(name);
  return match ? Number(match[1]) : Number.MAX_SAFE_INTEGER;
}

/**
 * Sequential children in the order ZooKeeper created them. A plain string sort is wrong as soon
 * as the names carry a random marker before the counter (Curator's "protected" names).
 */
export function sortBySequence(names: readonly string[]): string[] {
  return [...names].sort((a, b) => sequenceOf(a) - sequenceOf(b) || (a < b ? -1 : a > b ? 1 : 0));
}

export interface QueuePlace {
  /** The children starting with the prefix, by sequence. */
  queue: string[];
  /** Our index in `queue`, -1 when our node is not among the children (deleted, or expired). */
  position: number;
  /** The node just ahead of ours: the only one to watch (no herd). Undefined at the head or when absent. */
  predecessor?: string;
}

/** Where `ours` stands among `children` that start with `prefix` (the recipe's nodes; others are ignored). */
export function queuePlace(children: readonly string[], ours: string, prefix: string): QueuePlace {
  const queue = sortBySequence(children.filter((name) => name.startsWith(prefix)));
  const position = queue.indexOf(ours);
  return { queue, position, predecessor: position > 0 ? queue[position - 1] : undefined };
}

/**
 * Nodes of one attempt, found by the random marker in their names: the one we know, one whose
 * create we never heard back from, and the twin of a create the client re-sent after a
 * reconnection (node-zookeeper-client re-sends once on CONNECTION_LOSS, so it can run twice).
 */
export function markedBy(children: readonly string[], marker: string): string[] {
  return children.filter((name) => name.includes(marker));
}

/**
 * Watches the node ahead of ours with `getData`, as Curator does: `exists` on a node that is
 * already gone would leave a creation watch behind on a path nobody will create again. False
 * when the predecessor is gone already (look at the queue again); the watcher fires on its deletion.
 */
export async function watchPredecessor(api: ZookeeperOps, path: string, watcher: Watcher): Promise<boolean> {
  try {
    await api.getData(path, watcher);
    return true;
  } catch (error) {
    if (isNoNode(error)) return false;
    throw error;
  }
}
