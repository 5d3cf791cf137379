import { Exception } from 'node-zookeeper-client';

/** ZooKeeper could not be reached in time, or the session is suspended or expired. */
export class ZookeeperUnavailableError extends Error {
  constructor(
    message: string,
    readonly operation: string,
    readonly path: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ZookeeperUnavailableError';
  }
}

/** The server answered with an error code (NO_NODE, NODE_EXISTS, BAD_VERSION, ...). */
export class ZookeeperOperationError extends Error {
  constructor(
    readonly code: number,
    readonly codeName: string,
    readonly operation: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(`ZooKeeper ${operation} ${path}: ${codeName}`, options);
    this.name = 'ZookeeperOperationError';
  }
}

function hasCode(error: unknown, code: number): boolean {
  return error instanceof ZookeeperOperationError && error.code === code;
}

export const isNoNode = (error: unknown): boolean => hasCode(error, Exception.NO_NODE);
export const isNodeExists = (error: unknown): boolean => hasCode(error, Exception.NODE_EXISTS);
export const isBadVersion = (error: unknown): boolean => hasCode(error, Exception.BAD_VERSION);
