import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import Redis from 'ioredis';
import { createStrategy, DbSegmentStrategy, FaultInjector, LockedSettings, OrderNumberStrategy, SequenceLedger, systemClock } from '@app/order-numbers';
import { MariadbDatabase } from '@app/mariadb';
import { ZookeeperSession } from '@app/zookeeper';
import { ClockSkewService } from '../clock/clock-skew.service';
import { ConfigCenter } from '../config/config-center.service';
import { ORDER_SERVICE_CONFIG } from '../config/config.tokens';
import { numberFamily, OrderServiceConfig, StrategyName, usesDatabase, ZookeeperPaths } from '@app/contracts';
import { REPLICA_IDENTITY, ReplicaIdentity } from '../config/replica-identity';
import { SegmentFamilyHandover } from './segment-family-handover';

/**
 * How long a replica waits before issuing after a switch between number families: longer than it
 * takes every replica to hear of the switch (tens of ms) and finish what it was issuing, so the
 * new family's timestamps all come after the old family's.
 */
const FAMILY_SWITCH_GUARD_MS = 500;

/**
 * Holds one instance per strategy, built on first use, and answers "which one now" from the
 * config center, so a switch takes effect on the next request without a restart.
 */
@Injectable()
export class StrategyRegistry implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(StrategyRegistry.name);
  private readonly instances = new Map<StrategyName, OrderNumberStrategy>();
  private readonly fault: FaultInjector;
  private guardUntil = 0;
  /** db-segment's part of the latest family switch (see SegmentFamilyHandover); issuing waits for it. */
  private handover: Promise<void> = Promise.resolve();
  private readonly segmentHandover: SegmentFamilyHandover;

  constructor(
    @Inject(ORDER_SERVICE_CONFIG) private readonly env: OrderServiceConfig,
    @Inject(REPLICA_IDENTITY) private readonly identity: ReplicaIdentity,
    private readonly configCenter: ConfigCenter,
    private readonly session: ZookeeperSession,
    @Inject(Redis) private readonly redis: Redis,
    private readonly database: MariadbDatabase,
    private readonly clock: ClockSkewService,
  ) {
    this.fault = new FaultInjector(env.FAULT_PAUSE_EVERY, env.FAULT_PAUSE_MS);
    this.segmentHandover = new SegmentFamilyHandover(new SequenceLedger(redis, env.REDIS_PREFIX), env.BUSINESS_LINES, clock);
    configCenter.onChange((config, previous) => {
      if (numberFamily(config.strategy) !== numberFamily(previous.strategy)) {
        this.guardUntil = Date.now() + FAMILY_SWITCH_GUARD_MS;
        this.logger.log(
          `switch ${previous.strategy} → ${config.strategy} changes number family: issuing resumes in ${FAMILY_SWITCH_GUARD_MS} ms`,
        );
        this.handover = this.segmentFamilySwitch(previous.strategy, config.strategy);
      }
    });
    if (this.fault.enabled) {
      this.logger.warn(`fault injection on: every ${env.FAULT_PAUSE_EVERY}th critical section pauses the process ${env.FAULT_PAUSE_MS} ms`);
    }
  }

  /**
   * A replica that starts under a database strategy creates the tables now (idempotently) and
   * refuses to start without its database, as it does without Redis; under the other strategies
   * nothing connects until a switch to a database strategy builds one.
   */
  async onApplicationBootstrap(): Promise<void> {
    if (usesDatabase(this.configCenter.get().strategy)) await this.database.ready();
  }

  current(): OrderNumberStrategy {
    return this.get(this.configCenter.get().strategy);
  }

  /** The strategy to issue with now, once a switch between number families has settled. */
  async forIssue(): Promise<OrderNumberStrategy> {
    await this.handover;
    const wait = this.guardUntil - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    return this.current();
  }

  /** Drops db-segment's buffers and moves the guard past its ledger, or its next segments past the Redis ledger. */
  private async segmentFamilySwitch(from: StrategyName, to: StrategyName): Promise<void> {
    try {
      if (from === 'db-segment') {
        const extra = await this.segmentHandover.awayFrom(this.get(from) as DbSegmentStrategy);
        this.guardUntil = Math.max(this.guardUntil, Date.now() + extra);
      }
      if (to === 'db-segment') await this.segmentHandover.into(this.get(to) as DbSegmentStrategy);
    } catch (error) {
      // The buffers are dropped whatever happens; only the marks could not be read, and the guard still holds.
      this.logger.warn(`switch ${from} → ${to}: could not read the other family's mark: ${(error as Error).message}`);
    }
  }

  /** The strategies built so far (metrics read their lock counters). */
  built(): OrderNumberStrategy[] {
    return [...this.instances.values()];
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.built().map((strategy) => strategy.close()));
  }

  private get(name: StrategyName): OrderNumberStrategy {
    let strategy = this.instances.get(name);
    if (!strategy) {
      strategy = createStrategy(name, {
        redis: this.redis,
        session: this.session,
        database: this.database,
        paths: new ZookeeperPaths(this.env.ZK_ROOT),
        redisPrefix: this.env.REDIS_PREFIX,
        owner: this.identity.id,
        settings: () => this.settings(),
        fault: this.fault,
        clock: this.clock,
        loggerFor: (context) => new Logger(context),
      });
      this.instances.set(name, strategy);
    }
    return strategy;
  }

  private settings(): LockedSettings {
    const runtime = this.configCenter.get();
    return {
      fencing: runtime.lockFencing,
      lockTtlMs: runtime.lockTtlMs,
      lockWaitMs: this.env.LOCK_WAIT_MS,
      requestTimeoutMs: this.env.REQUEST_TIMEOUT_MS,
      maxClockSkewMs: this.env.MAX_CLOCK_SKEW_MS,
    };
  }
}
