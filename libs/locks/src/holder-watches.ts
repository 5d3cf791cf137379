import { isNoNode, ZookeeperSession } from '@app/zookeeper';

/** The lock node as one read saw it, and the promise of its next change. */
export interface WatchedHolder {
  /** The holder's data (its owner and attempt marker). */
  data: Buffer;
  /** Settles at the node's next change (its deletion, by release or by session end). */
  changed: Promise<void>;
}

interface SharedRead {
  /** The session's liveness signal the watch was set under: a watch of a lost session may never fire. */
  lost: AbortSignal;
  read: Promise<WatchedHolder | null>;
}

/**
 * One data watch per lock node for all the waiters of this process. ZooKeeper keeps one watch
 * per session and path whatever the number of reads that set it, and sends one notification per
 * change; a read per waiter only repeated the same answer and gave the client one listener per
 * waiter on the path (node-zookeeper-client warned of a leak past ten: thousands of lines in a
 * replica's log after a bench). Every waiter still races for the node once it changes, so the
 * herd this lock exists to show is unchanged: it is one ZooKeeper read per change and process
 * instead of one per waiter.
 *
 * A read joined before its watch fired is still what the node holds: ZooKeeper delivers a
 * change's notification before the answer to any later request, so a waiter that saw the node
 * exist after a change finds the shared read already dropped and reads again.
 */
export class HolderWatches {
  private readonly reads = new Map<string, SharedRead>();

  constructor(private readonly session: ZookeeperSession) {}

  /** The node's holder and its next change; null when nobody holds it (no watch is left then). */
  read(node: string, lost: AbortSignal): Promise<WatchedHolder | null> {
    const shared = this.reads.get(node);
    if (shared && shared.lost === lost && !lost.aborted) return shared.read;
    let onChange!: () => void;
    const changed = new Promise<void>((resolve) => (onChange = resolve));
    const entry: SharedRead = { lost, read: Promise.resolve(null) };
    this.reads.set(node, entry);
    const forget = () => {
      if (this.reads.get(node) === entry) this.reads.delete(node);
    };
    entry.read = (async () => {
      try {
        const { data } = await this.session.api().getData(node, () => {
          forget();
          onChange();
        });
        return { data: data ?? Buffer.alloc(0), changed };
      } catch (error) {
        forget(); // no watch was set: the next waiter reads again
        if (isNoNode(error)) return null;
        throw error;
      }
    })();
    return entry.read;
  }
}
