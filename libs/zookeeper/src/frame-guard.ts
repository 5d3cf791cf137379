import type { Socket } from 'node:net';
import { Client } from 'node-zookeeper-client';

/** The part of node-zookeeper-client 1.1.3's ConnectionManager (lib/ConnectionManager.js) this relies on. */
interface ConnectionManager {
  socket?: Socket;
  /** The unparsed tail of the last data event: the start of a frame whose rest has not arrived. */
  pendingBuffer: Buffer | null;
  onSocketConnected(): void;
  onSocketData(buffer: Buffer): void;
}

/**
 * Keeps what node-zookeeper-client misreads from crashing the process or corrupting the next
 * connection.
 *
 * The library parses every frame inside a socket 'data' handler, so whatever it throws there is
 * an uncaught exception. It throws on well-formed bytes when it is closed while its handshake is
 * unanswered (a session given up in the middle of a reconnection): closing writes every queued
 * request at once, and the server's ConnectResponse is then read as the reply to the oldest of
 * them; if that one has xid 0 (the client never sent a request before) the session id lands in
 * the error field, "Unknown code: 245891072" (alexguan/node-zookeeper-client#23, #70). And it
 * keeps the start of a frame cut off with a lost connection, then reads the next connection's
 * first bytes as its rest.
 *
 * So the rest of a lost connection is dropped on every new one, and a frame that cannot be read
 * is handled as a lost connection: the socket is destroyed, and the library reconnects (or,
 * closing, closes) as it does after any.
 */
export function guardFrames(client: Client, onMisread: (error: Error) => void): void {
  const manager = (client as unknown as { connectionManager?: Partial<ConnectionManager> }).connectionManager;
  const socketConnected = manager?.onSocketConnected;
  const socketData = manager?.onSocketData;
  if (!manager || typeof socketConnected !== 'function' || typeof socketData !== 'function' || !('pendingBuffer' in manager)) {
    throw new Error('node-zookeeper-client internals changed: cannot guard its frames (see frame-guard.ts)');
  }
  // Both are bound when a socket is made (connect()), so instance properties set before that win.
  manager.onSocketConnected = function onSocketConnected(this: ConnectionManager): void {
    this.pendingBuffer = null;
    socketConnected.call(this);
  };
  manager.onSocketData = function onSocketData(this: ConnectionManager, buffer: Buffer): void {
    try {
      socketData.call(this, buffer);
    } catch (error) {
      this.pendingBuffer = null;
      this.socket?.destroy();
      onMisread(error as Error);
    }
  };
}
