import { ZookeeperUnavailableError } from './errors';
import { ZookeeperOps } from './zookeeper-ops';

export type CleanupTask = (api: ZookeeperOps) => Promise<void>;

/** How soon a clean-up whose request went unanswered on a live session is tried again. */
const RETRY_MS = 250;

/**
 * Clean-ups (deleting nodes we no longer want) that must happen even when ZooKeeper does not
 * answer right now: a node left behind in a session that survives would block everyone queued
 * behind it. A task that fails while the session is suspended runs again when it reconnects; one
 * that fails while it is connected (one request lost, not the connection) runs again shortly;
 * after an expiry the tasks are dropped, their nodes went with the session.
 */
export class SessionCleanups {
  private pending: CleanupTask[] = [];

  constructor(
    private readonly session: { api(): ZookeeperOps; readonly state: string },
    private readonly warn: (message: string) => void,
  ) {}

  async run(task: CleanupTask): Promise<void> {
    try {
      await task(this.session.api());
    } catch (error) {
      if (!(error instanceof ZookeeperUnavailableError)) throw error;
      if (this.session.state === 'connected') setTimeout(() => this.runLogged(task), RETRY_MS).unref();
      else if (this.session.state !== 'closed') this.pending.push(task);
    }
  }

  /** The session reconnected: run what waited for it. */
  resume(): void {
    const tasks = this.pending;
    this.pending = [];
    for (const task of tasks) this.runLogged(task);
  }

  /** The session expired: its nodes are gone, nothing left to clean. */
  drop(): void {
    this.pending = [];
  }

  private runLogged(task: CleanupTask): void {
    this.run(task).catch((error: Error) => this.warn(`ZooKeeper clean-up failed: ${error.message}`));
  }
}
