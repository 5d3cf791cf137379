import { FactoryProvider, Logger } from '@nestjs/common';
import { ZookeeperSession } from '@app/zookeeper';
import { GatewayConfig } from '@app/contracts';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';

/**
 * The gateway's one ZooKeeper session, provided under its class as in the order service (inject
 * `ZookeeperSession`, no token), and open before any provider that needs it is built: an async
 * factory makes Nest wait for it, so discovery and health never see a half-open session.
 * GatewayModule closes it on shutdown.
 */
export const zookeeperSessionProvider: FactoryProvider<Promise<ZookeeperSession>> = {
  provide: ZookeeperSession,
  inject: [GATEWAY_CONFIG],
  useFactory: (config: GatewayConfig) =>
    ZookeeperSession.open({
      connect: config.ZK_CONNECT,
      sessionTimeoutMs: config.ZK_SESSION_TIMEOUT_MS,
      auth: config.ZK_AUTH,
      logger: new Logger(ZookeeperSession.name),
    }),
};
