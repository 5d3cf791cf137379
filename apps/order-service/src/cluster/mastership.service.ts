import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import Redis from 'ioredis';
import { PoolFiller, SequenceLedger, systemClock } from '@app/order-numbers';
import { LeaderElection, ZookeeperSession } from '@app/zookeeper';
import { ClockSkewService } from '../clock/clock-skew.service';
import { ConfigCenter } from '../config/config-center.service';
import { ORDER_SERVICE_CONFIG } from '../config/config.tokens';
import { OrderServiceConfig, ZookeeperPaths } from '@app/contracts';
import { REPLICA_IDENTITY, ReplicaIdentity } from '../config/replica-identity';
import { EpochService } from './epoch.service';

/**
 * Master election among the replicas. The master fills the `redis-pregen` pools while that is
 * the strategy in force, under the epoch and its election token, so a deposed master, or one of
 * an older config, is fenced off (DESIGN §3).
 */
@Injectable()
export class MastershipService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MastershipService.name);
  private readonly election: LeaderElection;
  private readonly filler: PoolFiller;

  constructor(
    @Inject(ORDER_SERVICE_CONFIG) env: OrderServiceConfig,
    @Inject(REPLICA_IDENTITY) identity: ReplicaIdentity,
    session: ZookeeperSession,
    @Inject(Redis) redis: Redis,
    configCenter: ConfigCenter,
    clock: ClockSkewService,
    private readonly epochs: EpochService,
  ) {
    this.election = new LeaderElection(session, new ZookeeperPaths(env.ZK_ROOT).election, identity.id, new Logger(LeaderElection.name));
    this.filler = new PoolFiller(redis, new SequenceLedger(redis, env.REDIS_PREFIX), env.REDIS_PREFIX, () => ({
      businessLines: configCenter.get().businessLines,
      poolSize: env.POOL_SIZE,
      lowWater: env.POOL_LOW_WATER,
      maxClockSkewMs: env.MAX_CLOCK_SKEW_MS,
    }), clock, { logger: new Logger(PoolFiller.name) });
    this.election.on('elected', () => this.updateFiller());
    this.election.on('deposed', () => this.updateFiller());
    epochs.onAdopted((adopted, previous) => {
      if (adopted.config.strategy === 'redis-pregen' && previous?.config.strategy !== 'redis-pregen' && this.election.isLeader) {
        this.filler.discardLeftovers().then(
          () => this.updateFiller(),
          (error: Error) => {
            this.logger.warn(`could not discard the old pools (${error.message}); filling on top of them`);
            this.updateFiller();
          },
        );
      } else {
        this.updateFiller();
      }
    });
  }

  get isMaster(): boolean {
    return this.election.isLeader;
  }

  get token(): number | undefined {
    return this.election.token;
  }

  /** The master's replica ID as ZooKeeper says now. */
  masterId(): Promise<string | null> {
    return this.election.leaderId();
  }

  onApplicationBootstrap(): void {
    this.election.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.filler.stop();
    await this.election.close();
  }

  private updateFiller(): void {
    const token = this.election.token;
    const adopted = this.epochs.current;
    if (token !== undefined && adopted?.config.strategy === 'redis-pregen') {
      this.logger.log(`filling the redis-pregen pools as master (epoch ${adopted.epoch}, token ${token})`);
      this.filler.start(token, adopted.epoch);
    } else {
      this.filler.stop();
    }
  }
}
