import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { createStrategy, FaultInjector, LockedSettings, OrderNumberStrategy, systemClock } from '@app/order-numbers';
import { ZookeeperSession } from '@app/zookeeper';
import { ClockSkewService } from '../clock/clock-skew.service';
import { ConfigCenter } from '../config/config-center.service';
import { ORDER_SERVICE_CONFIG } from '../config/config.tokens';
import { numberFamily, OrderServiceConfig, StrategyName, ZookeeperPaths } from '@app/contracts';
import { REPLICA_IDENTITY, ReplicaIdentity } from '../config/replica-identity';
import { IssueHistory } from './issue-history.service';

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
export class StrategyRegistry implements BeforeApplicationShutdown {
  private readonly logger = new Logger(StrategyRegistry.name);
  private readonly instances = new Map<StrategyName, OrderNumberStrategy>();
  private readonly fault: FaultInjector;
  private guardUntil = 0;

  constructor(
    @Inject(ORDER_SERVICE_CONFIG) private readonly env: OrderServiceConfig,
    @Inject(REPLICA_IDENTITY) private readonly identity: ReplicaIdentity,
    private readonly configCenter: ConfigCenter,
    private readonly session: ZookeeperSession,
    @Inject(Redis) private readonly redis: Redis,
    private readonly clock: ClockSkewService,
    private readonly history: IssueHistory,
  ) {
    this.fault = new FaultInjector(env.FAULT_PAUSE_EVERY, env.FAULT_PAUSE_MS);
    configCenter.onChange((config, previous) => {
      if (numberFamily(config.strategy) !== numberFamily(previous.strategy)) {
        this.guardUntil = Date.now() + FAMILY_SWITCH_GUARD_MS;
        this.logger.log(
          `switch ${previous.strategy} → ${config.strategy} changes number family: issuing resumes in ${FAMILY_SWITCH_GUARD_MS} ms`,
        );
      }
    });
    if (this.fault.enabled) {
      this.logger.warn(`fault injection on: every ${env.FAULT_PAUSE_EVERY}th critical section pauses the process ${env.FAULT_PAUSE_MS} ms`);
    }
  }

  current(): OrderNumberStrategy {
    return this.get(this.configCenter.get().strategy);
  }

  /** The strategy to issue with now, once a switch between number families has settled. */
  async forIssue(): Promise<OrderNumberStrategy> {
    const wait = this.guardUntil - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    return this.current();
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
        paths: new ZookeeperPaths(this.env.ZK_ROOT),
        redisPrefix: this.env.REDIS_PREFIX,
        owner: this.identity.id,
        settings: () => this.settings(),
        fault: this.fault,
        clock: this.clock,
        wrapLock: (lock) => this.history.wrapLock(lock),
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
