import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { connectRedis, createRedisClient } from '@app/redis';
import { ZookeeperSession } from '@app/zookeeper';
import { ORDER_SERVICE_CONFIG } from '../config/config.tokens';
import { OrderServiceConfig } from '@app/contracts';

/** Closes the shared clients last, after everything that uses them has stopped. */
@Injectable()
class BackendsShutdown implements OnApplicationShutdown {
  constructor(
    private readonly session: ZookeeperSession,
    @Inject(Redis) private readonly redis: Redis,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.session.close();
    this.redis.disconnect();
  }
}

/** The one ZooKeeper session and the one Redis connection of a replica. */
@Global()
@Module({
  providers: [
    {
      provide: ZookeeperSession,
      inject: [ORDER_SERVICE_CONFIG],
      useFactory: (config: OrderServiceConfig) =>
        ZookeeperSession.open({
          connect: config.ZK_CONNECT,
          sessionTimeoutMs: config.ZK_SESSION_TIMEOUT_MS,
          auth: config.ZK_AUTH,
          logger: new Logger(ZookeeperSession.name),
        }),
    },
    {
      provide: Redis,
      inject: [ORDER_SERVICE_CONFIG],
      useFactory: async (config: OrderServiceConfig) => {
        const redis = createRedisClient({ url: config.REDIS_URL, commandTimeoutMs: config.REQUEST_TIMEOUT_MS });
        const logger = new Logger('Redis');
        // ioredis reports connection trouble as events; without a listener Node would crash on them.
        redis.on('error', (error: Error) => logger.warn(`Redis: ${error.message}`));
        await connectRedis(redis, config.REDIS_URL);
        return redis;
      },
    },
    BackendsShutdown,
  ],
  exports: [ZookeeperSession, Redis],
})
export class BackendsModule {}
