import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { ClusterHealth } from './cluster-health.service';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: ClusterHealth,
  ) {}

  /** 200 when ZooKeeper serves, 503 otherwise, with the same document (terminus, as the replica's). */
  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.indicators.zookeeper(), () => this.indicators.cluster()]);
  }
}
