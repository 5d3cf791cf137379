export interface ServerAddress {
  host: string;
  port: number;
}

/** `a:2181,b:2182/chroot` → the servers (a chroot suffix is ignored; a missing port is 2181). */
export function parseConnectString(connect: string): ServerAddress[] {
  const hosts = connect.split('/')[0];
  return hosts
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const [host, port] = part.split(':');
      return { host, port: port ? Number(port) : 2181 };
    });
}
