import { createServer, Server } from 'node:net';
import { PortInUseError } from './errors';

const LOOPBACK = '127.0.0.1';

/** One free loopback port chosen by the OS, so that parallel test runs never pick the same one. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port;
}

/**
 * `n` distinct free loopback ports. All listeners stay open until every port is known, otherwise
 * the OS could hand out the same port twice. The port is free when this returns, not reserved:
 * callers that lose the race get a PortInUseError and should pick again.
 */
export async function freePorts(n: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < n; i++) servers.push(await listen(0));
    return servers.map((server) => {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('listening socket has no TCP address');
      return address.port;
    });
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}

/**
 * `size` consecutive free loopback ports, for launchCluster's base+i ports (and an ensemble's
 * +100/+200 ones). Drawn from [from, to), by default below Linux's ephemeral range (32768+) so the
 * OS does not hand them to outgoing connections meanwhile, and far from the demo's defaults
 * (3000, 3101, 2181, 6379).
 */
export async function freePortBlock(size: number, range: { from?: number; to?: number } = {}, attempts = 50): Promise<number> {
  const { from = 20_000, to = 32_000 } = range;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const base = from + Math.floor(Math.random() * (to - from - size));
    try {
      for (let port = base; port < base + size; port++) await assertPortFree(port, 'port block');
      return base;
    } catch (error) {
      if (!(error instanceof PortInUseError)) throw error;
    }
  }
  throw new Error(`no block of ${size} free ports found in [${from}, ${to}) in ${attempts} attempts`);
}

/** Throws PortInUseError naming `service` and the port when something already listens on it. */
export async function assertPortFree(port: number, service: string): Promise<void> {
  let server: Server;
  try {
    server = await listen(port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(service, port, error);
    throw error;
  }
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port, host: LOOPBACK, exclusive: true }, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
