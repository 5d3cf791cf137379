import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';

/** A client that sends one of these is a replica: it asked for the replication stream. */
const REPLICATION_HANDSHAKE = /REPLCONF|PSYNC|\bSYNC\b/i;

interface Link {
  client: Socket;
  upstream: Socket;
  replication: boolean;
  /** Stream bytes on their way to a replica, each due at its time (Date.now()). */
  inFlight: Array<{ due: number; chunk: Buffer }>;
  timer?: NodeJS.Timeout;
}

/**
 * A TCP front for one Redis node on 127.0.0.1 that makes its replicas lag: what the node streams
 * to a replica arrives `lagMs` late, in order; every other connection (clients, Sentinels, the
 * replica's acknowledgements) passes straight through. When the node dies, the stream still in
 * flight is lost with it, as with a host that crashes: the replica never sees those writes.
 * Asynchronous replication always has such a window; on one machine it is microseconds wide,
 * and this makes it as wide as a busy network's.
 */
export class ReplicationLagProxy {
  private readonly links = new Set<Link>();

  private constructor(
    private readonly server: Server,
    private readonly targetPort: number,
    private readonly lagMs: number,
  ) {}

  static async start(targetPort: number, lagMs: number, port = 0): Promise<ReplicationLagProxy> {
    const server = createServer();
    const proxy = new ReplicationLagProxy(server, targetPort, lagMs);
    server.on('connection', (client) => proxy.relay(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const link of this.links) this.drop(link);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: Socket): void {
    const upstream = connect(this.targetPort, '127.0.0.1');
    const link: Link = { client, upstream, replication: false, inFlight: [] };
    this.links.add(link);
    client.on('data', (chunk: Buffer) => {
      if (!link.replication && REPLICATION_HANDSHAKE.test(chunk.toString('latin1'))) link.replication = true;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => (link.replication ? this.delay(link, chunk) : client.write(chunk)));
    for (const socket of [client, upstream]) {
      socket.on('error', () => undefined); // a peer gone; the close below ends the link
      socket.on('close', () => this.drop(link));
    }
  }

  private delay(link: Link, chunk: Buffer): void {
    link.inFlight.push({ due: Date.now() + this.lagMs, chunk });
    if (!link.timer) this.schedule(link);
  }

  private schedule(link: Link): void {
    const [next] = link.inFlight;
    if (!next) {
      link.timer = undefined;
      return;
    }
    link.timer = setTimeout(() => {
      const now = Date.now();
      while (link.inFlight.length > 0 && link.inFlight[0].due <= now) link.client.write(link.inFlight.shift()!.chunk);
      this.schedule(link);
    }, Math.max(0, next.due - Date.now()));
  }

  /** Either side closed: what is still in flight is lost, and both sockets close. */
  private drop(link: Link): void {
    clearTimeout(link.timer);
    link.inFlight = [];
    this.links.delete(link);
    link.client.destroy();
    link.upstream.destroy();
  }
}
