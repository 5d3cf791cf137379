import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import Redis from 'ioredis';
import { createStrategy, DbSegmentStrategy, FaultInjector, LockedSettings, OrderNumberStrategy, SequenceLedger, systemClock } from '@app/order-numbers';
import { MariadbDatabase } from '@app/mariadb';
import { ZookeeperSession } from '@app/zookeeper';
import { ClockSkewService } from '../clock/clock-skew.service';
import { ConfigCenter } from '../config/config-center.service';
import { ORDER_SERVICE_CONFIG } from '../config/config.tokens';
import { OrderServiceConfig, StrategyName, usesDatabase, ZookeeperPaths } from '@app/contracts';
import { REPLICA_IDENTITY, ReplicaIdentity } from '../config/replica-identity';
import { EpochService } from '../cluster/epoch.service';
import { IssueHistory } from './issue-history.service';

/** The strategy to issue with and the epoch it runs under, which change together. */
export interface ForIssue {
  strategy: OrderNumberStrategy;
  epoch: number;
}

/**
 * Holds one instance per strategy, built on first use, and answers "which one now" from the
 * config in force under the adopted epoch, so a switch takes effect on the next request without a
 * restart. Switches between number families need no wait: each family starts above the other's
 * recorded maximum, read fenced by the new epoch (DESIGN §3).
 */
@Injectable()
export class StrategyRegistry implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(StrategyRegistry.name);
  private readonly instances = new Map<StrategyName, OrderNumberStrategy>();
  private readonly fault: FaultInjector;

  constructor(
    @Inject(ORDER_SERVICE_CONFIG) private readonly env: OrderServiceConfig,
    @Inject(REPLICA_IDENTITY) private readonly identity: ReplicaIdentity,
    private readonly configCenter: ConfigCenter,
    private readonly session: ZookeeperSession,
    @Inject(Redis) private readonly redis: Redis,
    private readonly database: MariadbDatabase,
    private readonly clock: ClockSkewService,
    private readonly epochs: EpochService,
    private readonly history: IssueHistory,
  ) {
    this.fault = new FaultInjector(env.FAULT_PAUSE_EVERY, env.FAULT_PAUSE_MS);
    // Numbers taken ahead of need (the redis-pregen buffers) are older than whatever the next epoch
    // issues: every new epoch drops them (DESIGN §2).
    epochs.onAdopted((_adopted, previous) => {
      if (previous) this.built().forEach((strategy) => strategy.discardBuffered?.());
    });
    if (this.fault.enabled) {
      const cadence = env.FAULT_PAUSE_EVERY > 0 ? `every ${env.FAULT_PAUSE_EVERY}th critical section and ` : '';
      this.logger.warn(`fault injection on: ${cadence}the next one after a SIGUSR2 pause the process ${env.FAULT_PAUSE_MS} ms`);
      process.on('SIGUSR2', this.armPause);
    }
  }

  /** SIGUSR2 (`npm run faults`' pause driver): the next critical section of this replica pauses. */
  private readonly armPause = (): void => {
    this.logger.warn('SIGUSR2: the next critical section pauses');
    this.fault.arm();
  };

  /**
   * A replica that starts under a database strategy creates the tables now (idempotently) and
   * refuses to start without its database, as it does without Redis; under the other strategies
   * nothing connects until a switch to a database strategy builds one.
   */
  async onApplicationBootstrap(): Promise<void> {
    if (usesDatabase(this.configCenter.get().strategy)) await this.database.ready();
  }

  current(): OrderNumberStrategy {
    return this.get((this.epochs.current?.config ?? this.configCenter.get()).strategy);
  }

  /** The strategy in force and its epoch, if an epoch at least as new as `atLeast` is adopted already. */
  adoptedNow(atLeast = 0): ForIssue | undefined {
    const adopted = this.epochs.current;
    return adopted && adopted.epoch >= atLeast ? { strategy: this.get(adopted.config.strategy), epoch: adopted.epoch } : undefined;
  }

  /** The strategy in force and its epoch, once an epoch at least as new as `atLeast` is adopted (never past `signal`). */
  async forIssue(signal: AbortSignal, atLeast = 0): Promise<ForIssue> {
    const adopted = await this.epochs.ready(signal, atLeast);
    return { strategy: this.get(adopted.config.strategy), epoch: adopted.epoch };
  }

  /** Aborted once this replica adopts an epoch newer than `epoch`. */
  supersededSignal(epoch: number): AbortSignal {
    return this.epochs.supersededSignal(epoch);
  }

  /** The strategies built so far (metrics read their lock counters). */
  built(): OrderNumberStrategy[] {
    return [...this.instances.values()];
  }

  async beforeApplicationShutdown(): Promise<void> {
    process.off('SIGUSR2', this.armPause);
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
      lockBatchMax: runtime.lockBatchMax ?? this.env.LOCK_BATCH_MAX,
      maxClockSkewMs: this.env.MAX_CLOCK_SKEW_MS,
    };
  }
}
