import { JsonSocket } from '@nestjs/microservices';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { CorkedJsonSocket } from './corked-json-socket';

describe('CorkedJsonSocket', () => {
  let server: Server;
  let received: unknown[];
  let sender: CorkedJsonSocket;

  beforeEach(async () => {
    received = [];
    server = createServer((socket) => new JsonSocket(socket).on('message', (message: unknown) => received.push(message)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const socket = new Socket();
    sender = new CorkedJsonSocket(socket);
    await new Promise<void>((resolve) => socket.connect((server.address() as AddressInfo).port, '127.0.0.1', resolve));
  });

  afterEach(async () => {
    sender.netSocket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('holds the messages of one turn of the event loop and sends them together, in order, at its end', async () => {
    sender.sendMessage({ id: 1 });
    sender.sendMessage({ id: 2 });
    sender.sendMessage({ id: 3 });
    expect(sender.netSocket.writableCorked).toBe(1); // once, however many messages
    expect(sender.netSocket.writableLength).toBeGreaterThan(0); // held, not yet handed to the kernel
    await new Promise((resolve) => setImmediate(resolve));
    expect(sender.netSocket.writableCorked).toBe(0);
    await waitFor(() => received.length === 3);
    expect(received).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);

    sender.sendMessage({ id: 4 }); // a later turn corks again
    expect(sender.netSocket.writableCorked).toBe(1);
    await waitFor(() => received.length === 4);
    expect(received[3]).toEqual({ id: 4 });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
