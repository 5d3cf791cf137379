import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';

/** When a hold began and ended (Date.now()). */
export interface HoldWindow {
  heldAt: number;
  releasedAt: number;
}

interface Relay {
  client: Socket;
  upstream: Socket;
  /** Client bytes held back, in the order they came. */
  queue: Buffer[];
}

/**
 * A TCP proxy on 127.0.0.1 between one client process and one server that can hold that
 * client's traffic: while a hold lasts, every byte the client sends (on every connection) waits
 * in the proxy, and at its end all of it is sent on in order, late. The server sees nothing of the
 * client meanwhile (no renewals, no pings), which is what a congested or partitioned link does;
 * answers from the server are never held (there are none to send while requests wait).
 */
export class HoldProxy {
  private readonly relays = new Set<Relay>();
  private heldUntil = 0;
  private releaseTimer: NodeJS.Timeout | undefined;
  private armed: { trigger: (chunk: Buffer) => boolean; holdMs: number; onHold: (window: Promise<HoldWindow>) => void } | undefined;
  private waiting: Array<(window: HoldWindow) => void> = [];

  private constructor(
    private readonly server: Server,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(target: { host: string; port: number }): Promise<HoldProxy> {
    const server = createServer();
    const proxy = new HoldProxy(server, target);
    server.on('connection', (client) => proxy.relay(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get holding(): boolean {
    return this.heldUntil > 0;
  }

  /** Holds everything the client sends from now on, for `holdMs`; resolves when it has been sent on. */
  hold(holdMs: number): Promise<HoldWindow> {
    const window = new Promise<HoldWindow>((resolve) => this.waiting.push(resolve));
    const heldAt = Date.now();
    this.heldUntil = Math.max(this.heldUntil, heldAt + holdMs);
    clearTimeout(this.releaseTimer);
    this.releaseTimer = setTimeout(() => this.release(heldAt), this.heldUntil - heldAt);
    return window;
  }

  /**
   * Arms a hold that begins with the first client chunk `trigger` accepts (that chunk is the first
   * one held). `onHold` is called at that moment with the hold's window.
   */
  holdOnNext(trigger: (chunk: Buffer) => boolean, holdMs: number, onHold: (window: Promise<HoldWindow>) => void): void {
    this.armed = { trigger, holdMs, onHold };
  }

  disarm(): void {
    this.armed = undefined;
  }

  async close(): Promise<void> {
    clearTimeout(this.releaseTimer);
    this.relays.forEach(({ client, upstream }) => {
      client.destroy();
      upstream.destroy();
    });
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private release(heldAt: number): void {
    this.heldUntil = 0;
    this.relays.forEach((relay) => {
      relay.queue.forEach((chunk) => relay.upstream.write(chunk));
      relay.queue = [];
    });
    const window = { heldAt, releasedAt: Date.now() };
    this.waiting.splice(0).forEach((resolve) => resolve(window));
  }

  private fromClient(relay: Relay, chunk: Buffer): void {
    if (!this.holding && this.armed?.trigger(chunk)) {
      const { holdMs, onHold } = this.armed;
      this.armed = undefined;
      onHold(this.hold(holdMs));
    }
    if (this.holding) relay.queue.push(chunk);
    else relay.upstream.write(chunk);
  }

  private relay(client: Socket): void {
    const upstream = connect(this.target.port, this.target.host);
    const relay: Relay = { client, upstream, queue: [] };
    this.relays.add(relay);
    client.on('data', (chunk) => this.fromClient(relay, chunk));
    upstream.on('data', (chunk) => client.write(chunk));
    for (const socket of [client, upstream]) {
      socket.on('error', () => undefined); // a closing peer; the other side is closed below
      socket.on('close', () => {
        this.relays.delete(relay);
        client.destroy();
        upstream.destroy();
      });
    }
  }
}

/**
 * A Redis request that writes a ledger mark (`<ms>:<seq>`): the plain SET and the fenced script
 * both carry the mark as an argument; reads carry none. RESP puts each argument on its own line.
 */
export function isLedgerWrite(chunk: Buffer): boolean {
  const text = chunk.toString('latin1');
  return text.includes('ledger:') && /\r\n\d{13,}:\d+\r\n/.test(text);
}
