import { LogSink, ZookeeperSession } from '@app/zookeeper';

/** Creates `path` (and its parents) unless it is in `created` already; then adds it there. */
export async function ensurePath(session: ZookeeperSession, path: string, created: Set<string>): Promise<void> {
  if (created.has(path)) return;
  await session.api().mkdirp(path);
  created.add(path);
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
