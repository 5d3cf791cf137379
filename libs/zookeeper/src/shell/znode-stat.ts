import type { Stat } from 'node-zookeeper-client';

/** A znode's stat with zkCli's field names and renderings (`stat`, `ls -s`). */
export interface ZnodeStat {
  cZxid: string;
  ctime: string;
  mZxid: string;
  mtime: string;
  pZxid: string;
  cversion: number;
  dataVersion: number;
  aclVersion: number;
  ephemeralOwner: string;
  dataLength: number;
  numChildren: number;
}

/** zkCli prints zxids and session ids as `0x` and hex without leading zeros. */
function hex(bytes: Buffer): string {
  return `0x${bytes.readBigUInt64BE(0).toString(16)}`;
}

function time(bytes: Buffer): string {
  return new Date(Number(bytes.readBigInt64BE(0))).toUTCString();
}

export function znodeStat(stat: Stat): ZnodeStat {
  return {
    cZxid: hex(stat.czxid),
    ctime: time(stat.ctime),
    mZxid: hex(stat.mzxid),
    mtime: time(stat.mtime),
    pZxid: hex(stat.pzxid),
    cversion: stat.cversion,
    dataVersion: stat.version,
    aclVersion: stat.aversion,
    ephemeralOwner: hex(stat.ephemeralOwner),
    dataLength: stat.dataLength,
    numChildren: stat.numChildren,
  };
}

/** `cZxid = 0x2` lines, in zkCli's order. */
export function formatZnodeStat(stat: ZnodeStat): string {
  return Object.entries(stat)
    .map(([field, value]) => `${field} = ${value}`)
    .join('\n');
}
