import { Client, createClient, Exception } from 'node-zookeeper-client';

/** ZooKeeper did not answer in time, or answered with an error code (`code` then set). */
export class BenchZookeeperError extends Error {
  constructor(
    message: string,
    readonly code?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BenchZookeeperError';
  }
}

const DEADLINE_MS = 5000;

/**
 * A short-lived client for the bench's own ZooKeeper calls. node-zookeeper-client queues requests
 * while disconnected and never answers a hung server, so every call here has a deadline.
 */
export async function connectZookeeper(connect: string): Promise<Client> {
  const client = createClient(connect, { sessionTimeout: 10000, retries: 1 });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.close();
      reject(new BenchZookeeperError(`ZooKeeper ${connect}: no session within ${DEADLINE_MS} ms`));
    }, DEADLINE_MS);
    client.once('connected', () => {
      clearTimeout(timer);
      resolve();
    });
    client.connect();
  });
  return client;
}

/** Runs one callback-style call as a promise with a deadline; server error codes keep their code. */
export function zkCall<T>(
  what: string,
  start: (done: (error: Error | Exception | null, value?: T) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new BenchZookeeperError(`ZooKeeper ${what}: no answer within ${DEADLINE_MS} ms`)), DEADLINE_MS);
    start((error, value) => {
      clearTimeout(timer);
      if (!error) resolve(value as T);
      else if (error instanceof Exception) reject(new BenchZookeeperError(`ZooKeeper ${what}: ${error.getName()}`, error.getCode(), { cause: error }));
      else reject(new BenchZookeeperError(`ZooKeeper ${what}: ${error.message}`, undefined, { cause: error }));
    });
  });
}
