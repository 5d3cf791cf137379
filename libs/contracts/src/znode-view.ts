/**
 * What the gateway's tree endpoints send about one znode (`GET /zookeeper/tree`, the writes of
 * `/zookeeper/nodes`, each event of `/zookeeper/watch`), and what the console reads: one
 * definition for both sides of the wire.
 */
export interface ZnodeStatView {
  version: number;
  numChildren: number;
  dataLength: number;
  ephemeral: boolean;
  /** The owner's session id as ZooKeeper prints it (`cons`, `wchc`): `0x` and hex without leading zeros. */
  ephemeralOwner: string | null;
  ctime: string;
  mtime: string;
  /** The zxids (`ls2`/`stat`) as zkCli prints them: `0x` and hex. */
  czxid: string;
  mzxid: string;
  pzxid: string;
  cversion: number;
  aversion: number;
}

export interface ZnodeView {
  path: string;
  data: unknown;
  dataTruncated?: true;
  stat: ZnodeStatView;
  /** Present when the node was expanded; a node at the depth limit has none, and `stat.numChildren` says how many it has. */
  children?: ZnodeView[];
}

/** One event of `/zookeeper/watch`: the node as it is now, or that it is gone, or why it cannot be read. */
export type ZnodeWatchEvent = ZnodeView | { path: string; deleted: true } | { path: string; error: string };
