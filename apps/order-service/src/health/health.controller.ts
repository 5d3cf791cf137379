import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { LockedStrategy } from '@app/order-numbers';
import { usesDatabase } from '@app/contracts';
import { ConfigCenter } from '../config/config-center.service';
import { REPLICA_IDENTITY, ReplicaIdentity } from '../config/replica-identity';
import { MastershipService } from '../cluster/mastership.service';
import { StrategyRegistry } from '../orders/strategy-registry.service';
import { BackendHealthIndicators } from './backend-health.indicators';
import { ClockSkewService } from '../clock/clock-skew.service';

@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly backends: BackendHealthIndicators,
    private readonly configCenter: ConfigCenter,
    private readonly mastership: MastershipService,
    private readonly clock: ClockSkewService,
    private readonly strategies: StrategyRegistry,
    @Inject(REPLICA_IDENTITY) private readonly identity: ReplicaIdentity,
  ) {}

  /**
   * 200 when ZooKeeper and Redis (and MariaDB, while a database strategy is in force) serve and
   * this replica's clock is within MAX_CLOCK_SKEW_MS of ZooKeeper's (else it stamps no number, and
   * says why here); 503 otherwise. Also says who is master and whether a config was refused.
   */
  @Get('health')
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.backends.zookeeper(),
      () => this.backends.redis(),
      ...(usesDatabase(this.configCenter.get().strategy) ? [() => this.backends.mariadb()] : []),
      () => {
        const { trusted, ...details } = this.clock.verdict();
        return trusted ? this.indicators.check('clock').up(details) : this.indicators.check('clock').down(details);
      },
      async () =>
        this.indicators.check('cluster').up({
          replica: this.identity.id,
          strategy: this.configCenter.get().strategy,
          master: this.mastership.isMaster,
          masterId: await this.mastership.masterId().catch(() => null), // ZooKeeper's own health is reported above
          configRejected: this.configCenter.lastRejection,
        }),
    ]);
  }

  /** What this replica is doing now: the bench and the cluster tests poll it. */
  @Get('status')
  async status(): Promise<Record<string, unknown>> {
    const strategy = this.strategies.current();
    return {
      replica: this.identity.id,
      strategy: this.configCenter.get().strategy,
      // Whether the ledger is written under fencing tokens now; null when the strategy takes no lock.
      fencing: strategy instanceof LockedStrategy ? strategy.fenced : null,
      config: this.configCenter.get(),
      configVersion: this.configCenter.nodeVersion,
      configRejected: this.configCenter.lastRejection,
      master: this.mastership.isMaster,
      masterId: await this.mastership.masterId().catch(() => null), // unknown while ZooKeeper is away
      pid: this.identity.pid,
    };
  }
}
