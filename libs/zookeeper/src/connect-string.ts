export interface ServerAddress {
  host: string;
  port: number;
}

/** A server entry of a connect string that is not `host[:port]` with a port 1..65535. */
export class InvalidConnectStringError extends Error {
  constructor(
    readonly connect: string,
    readonly entry: string,
    reason: string,
  ) {
    super(`ZooKeeper connect string "${connect}": server "${entry}" ${reason}`);
    this.name = 'InvalidConnectStringError';
  }
}

/**
 * `a:2181,b:2182/chroot` → the servers (a chroot suffix is ignored; a missing port is 2181).
 * IPv6 addresses are refused: the ZooKeeper client splits each entry at its first `:`.
 */
export function parseConnectString(connect: string): ServerAddress[] {
  const hosts = connect.split('/')[0];
  return hosts
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      if (part.includes('[')) throw new InvalidConnectStringError(connect, part, 'is an IPv6 address, which is not supported');
      const [host, port, ...rest] = part.split(':');
      if (host === '' || rest.length > 0) throw new InvalidConnectStringError(connect, part, 'is not host[:port]');
      if (port === undefined) return { host, port: 2181 };
      if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
        throw new InvalidConnectStringError(connect, part, `has port "${port}", not 1..65535`);
      }
      return { host, port: Number(port) };
    });
}
