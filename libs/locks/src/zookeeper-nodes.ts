import { Logger } from '@nestjs/common';
import { isNoNode, ZookeeperSession } from '@app/zookeeper';

const logger = new Logger('ZookeeperLock');

/** Creates `path` (and its parents) once per process; later calls are free. */
export async function ensurePath(session: ZookeeperSession, path: string, known: Set<string>): Promise<void> {
  if (known.has(path)) return;
  await session.api().mkdirp(path);
  known.add(path);
}

/**
 * Deletes a node this session created. A failure is not rethrown: the node is ephemeral, so the
 * end of the session removes it anyway, and the caller's result (an order number already issued)
 * must not turn into an error because of it. It is logged instead.
 */
export async function removeOwnNode(session: ZookeeperSession, path: string): Promise<void> {
  try {
    await session.api().remove(path);
  } catch (error) {
    if (isNoNode(error)) return; // already gone with an expired session: nothing to release
    logger.warn(`could not delete ${path}; the session's end will: ${(error as Error).message}`);
  }
}
