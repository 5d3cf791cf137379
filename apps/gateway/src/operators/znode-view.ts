import type { Stat } from 'node-zookeeper-client';
import { ZnodeStatView, ZnodeView } from '@app/contracts';
import { InvalidTreeQueryError } from './operator.errors';

export const DEFAULT_TREE_DEPTH = 2;
export const MAX_TREE_DEPTH = 5;
/** Bigger values are cut: the tree is for reading by people, and a pool node can hold megabytes. */
export const MAX_DATA_BYTES = 4096;

// ZooKeeper's own PathUtils.validatePath refuses these characters in any segment.
const FORBIDDEN_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\ud800-\uf8ff\ufff0-\uffff]/;

/** An absolute znode path by ZooKeeper's rules: `/`, or segments that are not empty, `.` or `..`. */
/** `path` is ZK_ROOT or below it: the part of the tree that is this cluster's own. */
export function isInsideRoot(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}/`);
}

export function parseZnodePath(value: unknown): string {
  const rule = 'must be an absolute znode path like /ordernum (no trailing /, no empty, . or .. segments)';
  if (typeof value !== 'string' || !value.startsWith('/')) throw new InvalidTreeQueryError('path', value, rule);
  if (value === '/') return value;
  const segments = value.slice(1).split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..' || FORBIDDEN_CHARACTERS.test(segment))) {
    throw new InvalidTreeQueryError('path', value, rule);
  }
  return value;
}

export function parseTreeDepth(value: unknown): number {
  if (value === undefined) return DEFAULT_TREE_DEPTH;
  if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) > MAX_TREE_DEPTH) {
    throw new InvalidTreeQueryError('depth', value, `must be an integer from 0 to ${MAX_TREE_DEPTH}`);
  }
  return Number(value);
}

export function childPath(parent: string, child: string): string {
  return parent === '/' ? `/${child}` : `${parent}/${child}`;
}

/** `data` is undefined, not null, when node-zookeeper-client reads a node created without data. */
export function znodeView(path: string, data: Buffer | null | undefined, stat: Stat): ZnodeView {
  const view: ZnodeView = { path, data: null, stat: statView(stat) };
  if (!data?.length) return view;
  if (data.length > MAX_DATA_BYTES) {
    // A cut multi-byte character decodes as U+FFFD; dropping it keeps the text honest.
    view.data = data.subarray(0, MAX_DATA_BYTES).toString('utf8').replace(/\ufffd$/, '');
    view.dataTruncated = true;
    return view;
  }
  view.data = jsonOrText(data.toString('utf8'));
  return view;
}

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text; // not JSON: shown as it is
  }
}

function statView(stat: Stat): ZnodeStatView {
  const owner = stat.ephemeralOwner.readBigUInt64BE(0);
  return {
    version: stat.version,
    numChildren: stat.numChildren,
    dataLength: stat.dataLength,
    ephemeral: owner !== 0n,
    ephemeralOwner: owner === 0n ? null : `0x${owner.toString(16)}`,
    ctime: new Date(Number(stat.ctime.readBigInt64BE(0))).toISOString(),
    mtime: new Date(Number(stat.mtime.readBigInt64BE(0))).toISOString(),
    czxid: zxid(stat.czxid),
    mzxid: zxid(stat.mzxid),
    pzxid: zxid(stat.pzxid),
    cversion: stat.cversion,
    aversion: stat.aversion,
  };
}

function zxid(value: Buffer): string {
  return `0x${value.readBigUInt64BE(0).toString(16)}`;
}
