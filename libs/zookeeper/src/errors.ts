import { Exception } from 'node-zookeeper-client';
import { UnavailableError } from '@app/errors';

/** ZooKeeper could not be reached in time, or the session is suspended or expired. */
export class ZookeeperUnavailableError extends UnavailableError {
  constructor(
    message: string,
    readonly operation: string,
    readonly path: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The server answered with an error code (NO_NODE, NODE_EXISTS, BAD_VERSION, ...). Recipes handle
 * the codes they expect; one that escapes them means the tree is not as the recipe needs it (an
 * operator deleted a node, say), which a client can only wait out: 503.
 */
export class ZookeeperOperationError extends UnavailableError {
  constructor(
    readonly code: number,
    readonly codeName: string,
    readonly operation: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(`ZooKeeper ${operation} ${path}: ${codeName}`, options);
  }
}

function hasCode(error: unknown, code: number): boolean {
  return error instanceof ZookeeperOperationError && error.code === code;
}

export const isNoNode = (error: unknown): boolean => hasCode(error, Exception.NO_NODE);
export const isNodeExists = (error: unknown): boolean => hasCode(error, Exception.NODE_EXISTS);
export const isBadVersion = (error: unknown): boolean => hasCode(error, Exception.BAD_VERSION);
export const isNotEmpty = (error: unknown): boolean => hasCode(error, Exception.NOT_EMPTY);
/** The node's ACL does not admit this session's credentials (ZK_AUTH missing or another digest). */
export const isNoAuth = (error: unknown): boolean => hasCode(error, Exception.NO_AUTH);
