import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startOrderService } from '../../../apps/order-service/src/bootstrap';
import { loadOrderServiceConfig, OrderServiceConfig } from '@app/contracts';
import { freePorts } from '@app/provisioning';
import { requireEnv, uniqueName } from '../../support/backends';

/** One in-process order-service replica started by a test. */
export interface Replica {
  app: NestFastifyApplication;
  config: OrderServiceConfig;
  /** `http://127.0.0.1:<HTTP_PORT>` */
  url: string;
  id: string;
  /** Closes the app (idempotent; afterAll closes whatever is still open). */
  close(): Promise<void>;
}

export interface IsolatedEnv extends Record<string, string> {
  ZK_CONNECT: string;
  REDIS_URL: string;
  ZK_ROOT: string;
  REDIS_PREFIX: string;
}

/**
 * A fresh ZK_ROOT and REDIS_PREFIX against the shared test servers, so that a test's replicas
 * meet each other and nobody else. Override ZK_CONNECT/REDIS_URL for private servers.
 */
export function isolatedEnv(label: string): IsolatedEnv {
  const name = uniqueName(label);
  return {
    ZK_CONNECT: requireEnv('TEST_ZK_CONNECT'),
    REDIS_URL: requireEnv('TEST_REDIS_URL'),
    DATABASE_URL: requireEnv('TEST_DATABASE_URL'),
    ZK_ROOT: `/${name}`,
    REDIS_PREFIX: `${name}:`,
    LOG_LEVEL: 'error',
  };
}

/**
 * Starts replicas in this process through the very `startOrderService(loadOrderServiceConfig(env))`
 * that main.ts runs, each on its own free HTTP and TCP ports, and closes every one in afterAll.
 * Call it before `usePrivateServices()` so that the apps close before their servers stop.
 */
export function useReplicas(): { start(env: Record<string, string>): Promise<Replica> } {
  const open = new Set<Replica>();
  afterAll(async () => {
    await Promise.allSettled([...open].map((replica) => replica.close()));
  });
  return {
    async start(env) {
      const [httpPort, tcpPort] = await freePorts(2);
      const config = loadOrderServiceConfig({ HTTP_PORT: String(httpPort), TCP_PORT: String(tcpPort), ...env });
      const app = await startOrderService(config);
      let closing: Promise<void> | undefined;
      const replica: Replica = {
        app,
        config,
        url: `http://127.0.0.1:${httpPort}`,
        id: config.REPLICA_ID ?? '',
        close: () => {
          open.delete(replica);
          closing ??= app.close();
          return closing;
        },
      };
      open.add(replica);
      return replica;
    },
  };
}
