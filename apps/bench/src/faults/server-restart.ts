import { sleep } from './fault-driver';

/** What a restart fault needs of a server: ZookeeperServer and RedisServer both are one. */
export interface RestartableServer {
  kill(): Promise<unknown>;
  start(): Promise<unknown>;
}

/** How long the server stays dead: a crash and a supervisor's restart, not an instant bounce. */
export const SERVER_DOWN_MS = 2000;

/** SIGKILL, down for SERVER_DOWN_MS, started again on its port and data directory; returns when it serves. */
export async function restartServer(server: RestartableServer): Promise<{ killedAt: number; servingAt: number }> {
  const killedAt = Date.now();
  await server.kill();
  await sleep(SERVER_DOWN_MS);
  await server.start();
  return { killedAt, servingAt: Date.now() };
}
