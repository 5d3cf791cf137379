import { BadInputError } from '@app/errors';

export interface ServerAddress {
  host: string;
  port: number;
}

/** A connect string that is not `host[:port],...[/chroot]` with ports 1..65535. */
export class InvalidConnectStringError extends BadInputError {
  constructor(
    readonly connect: string,
    readonly entry: string,
    reason: string,
  ) {
    super(400, 'ZK_CONNECT', `ZooKeeper connect string "${connect}": ${entry === '' ? '' : `server "${entry}" `}${reason}`);
  }
}

/** One or more segments, none empty, `.` or `..` (ZooKeeper refuses those), no trailing `/`. */
export const ZNODE_PATH = /^(\/(?!\.\.?(\/|$))[A-Za-z0-9._-]+)+$/;

/**
 * The one reader of connect strings: `a:2181,b:2182/chroot` → the servers, in order (a missing
 * port is 2181; the chroot is checked, then left to the client). Every problem names the entry.
 * IPv6 addresses are refused: the ZooKeeper client splits each entry at its first `:`.
 */
export function parseConnectString(connect: string): ServerAddress[] {
  const slash = connect.indexOf('/');
  const hosts = slash === -1 ? connect : connect.slice(0, slash);
  const chroot = slash === -1 ? '' : connect.slice(slash);
  if (chroot !== '' && chroot !== '/' && !ZNODE_PATH.test(chroot)) {
    throw new InvalidConnectStringError(connect, '', `has chroot "${chroot}", which is not an absolute znode path`);
  }
  return hosts.split(',').map((entry) => {
    if (entry === '') throw new InvalidConnectStringError(connect, entry, 'has an empty server entry');
    if (entry.includes('[') || entry.split(':').length > 2) {
      throw new InvalidConnectStringError(connect, entry, 'is an IPv6 address, which is not supported: use a host name');
    }
    const match = /^([A-Za-z0-9._-]+)(?::(\d+))?$/.exec(entry);
    if (!match) throw new InvalidConnectStringError(connect, entry, 'is not host[:port]');
    if (match[2] === undefined) return { host: match[1], port: 2181 };
    const port = Number(match[2]);
    if (port < 1 || port > 65535) throw new InvalidConnectStringError(connect, entry, `has port ${match[2]}, not 1..65535`);
    return { host: match[1], port };
  });
}
