import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { MariadbDatabase } from '@app/mariadb';
import { connectRedis, createRedisClient, ReplicaAcknowledgement } from '@app/redis';
import { ZookeeperSession } from '@app/zookeeper';
import { ORDER_SERVICE_CONFIG } from '../config/config.tokens';
import { OrderServiceConfig } from '@app/contracts';

/** Closes the shared clients last, after everything that uses them has stopped. */
@Injectable()
class BackendsShutdown implements OnApplicationShutdown {
  constructor(
    private readonly session: ZookeeperSession,
    @Inject(Redis) private readonly redis: Redis,
    private readonly database: MariadbDatabase,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.session.close();
    this.redis.disconnect();
    await this.database.close().catch(() => undefined); // a pool that never connected, or a database already gone, has nothing to flush
  }
}

/**
 * The one ZooKeeper session, the one Redis connection and the one MariaDB pool of a replica. The
 * pool connects on first use: only the database strategies (and /health while one is in force) use it.
 */
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
        const redis = createRedisClient({
          url: config.REDIS_URL,
          sentinels: config.REDIS_SENTINELS,
          masterName: config.REDIS_MASTER_NAME,
          commandTimeoutMs: config.REQUEST_TIMEOUT_MS,
        });
        const logger = new Logger('Redis');
        // ioredis reports connection trouble as events; without a listener Node would crash on them.
        redis.on('error', (error: Error) => logger.warn(`Redis: ${error.message}`));
        if (config.REDIS_SENTINELS) {
          const sentinels = config.REDIS_SENTINELS.map(({ host, port }) => `${host}:${port}`).join(',');
          await connectRedis(redis, `${sentinels} (primary "${config.REDIS_MASTER_NAME}")`, 'REDIS_SENTINELS');
        } else {
          await connectRedis(redis, config.REDIS_URL);
        }
        return redis;
      },
    },
    {
      provide: MariadbDatabase,
      inject: [ORDER_SERVICE_CONFIG],
      useFactory: (config: OrderServiceConfig) =>
        new MariadbDatabase({ url: config.DATABASE_URL, connectionLimit: config.DATABASE_POOL_SIZE }),
    },
    {
      provide: ReplicaAcknowledgement,
      inject: [Redis, ORDER_SERVICE_CONFIG],
      useFactory: (redis: Redis, config: OrderServiceConfig) => {
        const wait = (replicas: number, timeoutMs: number) => redis.wait(replicas, timeoutMs);
        return new ReplicaAcknowledgement(wait, config.REDIS_WAIT_REPLICAS, config.REDIS_WAIT_TIMEOUT_MS);
      },
    },
    BackendsShutdown,
  ],
  exports: [ZookeeperSession, Redis, MariadbDatabase, ReplicaAcknowledgement],
})
export class BackendsModule {}
