import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';

/** ZooKeeper request types that create a node: create and create2. */
const CREATE_TYPES = new Set([1, 15]);
/** The requests whose success answer `holdNextAnswer` can hold, by their ZooKeeper request types. */
const HOLDABLE = { create: CREATE_TYPES, getData: new Set([4]) } as const;
export type HoldableRequest = keyof typeof HOLDABLE;

/**
 * Splits a TCP stream into ZooKeeper's frames (a 4-byte big-endian length, then that many bytes)
 * and hands each complete frame on; the first frame of a connection is the session handshake,
 * which has no request/reply header.
 */
class Framer {
  private buffered = Buffer.alloc(0);
  private frames = 0;

  constructor(private readonly onFrame: (frame: Buffer, handshake: boolean) => void) {}

  push(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length >= 4 && this.buffered.length >= 4 + this.buffered.readInt32BE(0)) {
      const length = 4 + this.buffered.readInt32BE(0);
      const frame = this.buffered.subarray(0, length);
      this.buffered = this.buffered.subarray(length);
      this.onFrame(frame, this.frames++ === 0);
    }
  }
}

/**
 * A TCP proxy between a ZooKeeper client and one server, on 127.0.0.1 only, that loses or delays
 * what the server says, one armed fault at a time:
 * - `cutAfterNextCreate`: when the server answers a create with success (the node exists now) it
 *   cuts both connections instead of forwarding that answer. The client sees a connection loss,
 *   reconnects through the proxy to the same session and re-sends the create.
 * - `cutInsideNextReply`: forwards the first half of the server's next reply, then cuts both.
 * - `holdNextHandshakeAnswer`: holds the server's answer to the next session handshake, and
 *   everything after it on that connection, until released.
 * - `holdNextAnswer`: holds the server's success answer to the next create (the node exists now)
 *   or getData, and everything after it on that connection, until released.
 */
export class ZookeeperProxy {
  private armed?: () => void;
  private cutInside?: () => void;
  private holdHandshake?: (release: () => void) => void;
  private holdAnswer?: { types: ReadonlySet<number>; onHeld: (release: () => void) => void };
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(target: { host: string; port: number }): Promise<ZookeeperProxy> {
    const server = createServer();
    const proxy = new ZookeeperProxy(server, target);
    server.on('connection', (client) => proxy.relay(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get connectString(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Arms the proxy; resolves once a create has been applied and its answer thrown away. */
  cutAfterNextCreate(): Promise<void> {
    return new Promise((resolve) => (this.armed = resolve));
  }

  /** Arms the proxy; resolves once half of a reply has reached the client and both connections are cut. */
  cutInsideNextReply(): Promise<void> {
    return new Promise((resolve) => (this.cutInside = resolve));
  }

  /** Arms the proxy; resolves, once a handshake answer is held, with the function that forwards it and what follows. */
  holdNextHandshakeAnswer(): Promise<() => void> {
    return new Promise((resolve) => (this.holdHandshake = resolve));
  }

  /** Arms the proxy; resolves, once a success answer to `request` is held, with the function that forwards it and what follows. */
  holdNextAnswer(request: HoldableRequest): Promise<() => void> {
    return new Promise((resolve) => (this.holdAnswer = { types: HOLDABLE[request], onHeld: resolve }));
  }

  async close(): Promise<void> {
    this.sockets.forEach((socket) => socket.destroy());
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: Socket): void {
    const upstream = connect(this.target.port, this.target.host);
    this.sockets.add(client).add(upstream);
    // The xids of the creates sent while armed (the first to succeed loses its answer), and of the
    // requests sent while a hold is armed for their type (the first to succeed has its answer held).
    const creates = new Set<number>();
    const holdable = new Set<number>();
    const fromClient = new Framer((frame, handshake) => {
      upstream.write(frame);
      if (handshake) return;
      if (this.armed && CREATE_TYPES.has(frame.readInt32BE(8))) creates.add(frame.readInt32BE(4));
      if (this.holdAnswer?.types.has(frame.readInt32BE(8))) holdable.add(frame.readInt32BE(4));
    });
    let held: Buffer[] | undefined;
    const hold = (frame: Buffer, onHeld: (release: () => void) => void) => {
      held = [frame];
      onHeld(() => {
        held?.forEach((late) => client.write(late));
        held = undefined;
      });
    };
    const fromServer = new Framer((frame, handshake) => {
      if (held) return void held.push(frame);
      if (handshake && this.holdHandshake) {
        const onHeld = this.holdHandshake;
        this.holdHandshake = undefined;
        return hold(frame, onHeld);
      }
      if (!handshake && this.cutInside) {
        const onCut = this.cutInside;
        this.cutInside = undefined;
        // Flushed before the cut: the client must have read the half it will keep.
        client.write(frame.subarray(0, frame.length >> 1), () => {
          client.destroy();
          upstream.destroy();
          onCut();
        });
        return;
      }
      // A reply: length, xid (int32), zxid (int64), err (int32). A create that failed (NODE_EXISTS
      // of a `mkdirp`) is passed on: the cut is for one the server has applied.
      if (!handshake && creates.delete(frame.readInt32BE(4)) && frame.readInt32BE(16) === 0 && this.armed) {
        const onCut = this.armed;
        this.armed = undefined;
        client.destroy();
        upstream.destroy();
        return onCut();
      }
      if (!handshake && holdable.delete(frame.readInt32BE(4)) && frame.readInt32BE(16) === 0 && this.holdAnswer) {
        const { onHeld } = this.holdAnswer;
        this.holdAnswer = undefined;
        return hold(frame, onHeld);
      }
      client.write(frame);
    });
    client.on('data', (chunk) => fromClient.push(chunk));
    upstream.on('data', (chunk) => fromServer.push(chunk));
    for (const socket of [client, upstream]) {
      socket.on('error', () => undefined); // a cut or a closing peer; the other side is closed below
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
  }
}
