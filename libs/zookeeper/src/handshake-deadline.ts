import type { Socket } from 'node:net';
import { Client, State } from 'node-zookeeper-client';

/** The part of node-zookeeper-client 1.1.3's ConnectionManager (lib/ConnectionManager.js) this relies on. */
interface ConnectionManager {
  socket: Socket;
  /** The library's deadline for one connection attempt: the session timeout over the number of servers. */
  connectTimeout: number;
  onSocketConnected(): void;
}

/**
 * Gives every connection attempt of `client` a deadline that covers the ZooKeeper handshake.
 *
 * node-zookeeper-client clears its connect timeout once TCP connects and arms its read timeout
 * only when the server answers the ConnectRequest. A server that accepts the connection and then
 * neither answers nor closes it leaves the client CONNECTING forever: no state event, no retry,
 * every request queued (alexguan/node-zookeeper-client#57, never merged). ZooKeeper 3.8.0 does
 * exactly that to a connection that arrives while it starts, before its database exists (closing
 * it throws, ZOOKEEPER-5051), so a client that reconnects at that moment never comes back; a hung
 * server does it too. Destroying the socket of an attempt still unanswered after the library's own
 * connect timeout makes the library treat it as any lost connection: it tries the next server.
 */
export function enforceHandshakeDeadline(client: Client): void {
  const manager = (client as unknown as { connectionManager?: Partial<ConnectionManager> }).connectionManager;
  const socketConnected = manager?.onSocketConnected;
  if (!manager || typeof socketConnected !== 'function' || typeof manager.connectTimeout !== 'number') {
    // Fail loudly: without this guard a reconnection can hang for good (see above).
    throw new Error('node-zookeeper-client internals changed: cannot bound its handshake (see handshake-deadline.ts)');
  }
  manager.onSocketConnected = function onSocketConnected(this: ConnectionManager): void {
    socketConnected.call(this);
    const socket = this.socket;
    const timer = setTimeout(() => {
      if (this.socket === socket && client.getState() !== State.SYNC_CONNECTED) socket.destroy();
    }, this.connectTimeout);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  };
}
