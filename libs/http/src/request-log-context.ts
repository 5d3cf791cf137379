import { PinoLogger } from 'nestjs-pino';
import { storage, Store } from 'nestjs-pino/storage';

/**
 * Runs `work` with every log line inside it carrying `requestId`, as an HTTP request's lines do:
 * for handlers that no HTTP middleware wraps (the replica's RPC handlers). Without a root logger
 * (pino not set up, as in some tests) it just runs `work`.
 */
export function withRequestId<T>(requestId: string | undefined, work: () => T): T {
  const root = PinoLogger.root;
  if (requestId === undefined || root === undefined) return work();
  return storage.run(new Store(root.child({ requestId })), work);
}
