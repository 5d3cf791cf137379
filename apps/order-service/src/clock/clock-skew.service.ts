import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { OrderServiceConfig, ZookeeperPaths } from '@app/contracts';
import { Clock, OffsetClock } from '@app/order-numbers';
import { ServerClockProbe, ZookeeperSession } from '@app/zookeeper';
import { ORDER_SERVICE_CONFIG } from '../config/config.tokens';
import { REPLICA_IDENTITY, ReplicaIdentity } from '../config/replica-identity';
import { ClockSkewError } from './clock-skew.error';
import { SkewEstimate, SkewVerdict } from './skew-estimate';

/** Often enough to catch a drifting clock early, rarely enough to cost ZooKeeper nothing. */
const PROBE_INTERVAL_MS = 2000;
/** Probes taken before serving, so that the first verdict rests on the best of a few round trips. */
const FIRST_PROBES = 3;

/**
 * The clock every strategy of this replica stamps with (DESIGN §3, "Time"): the process's clock
 * (shifted by FAULT_CLOCK_OFFSET_MS), which refuses to tell the time — `ClockSkewError`, a 503 —
 * while its offset from ZooKeeper's time is unknown or beyond MAX_CLOCK_SKEW_MS. One fast replica
 * thus cannot move every replica's numbers into its future through the shared ledger.
 */
@Injectable()
export class ClockSkewService implements Clock, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ClockSkewService.name);
  private readonly local: Clock;
  private readonly estimate: SkewEstimate;
  private readonly probe: ServerClockProbe;
  private timer?: NodeJS.Timeout;
  private failing = false;

  constructor(
    @Inject(ORDER_SERVICE_CONFIG) env: OrderServiceConfig,
    @Inject(REPLICA_IDENTITY) identity: ReplicaIdentity,
    session: ZookeeperSession,
  ) {
    this.local = new OffsetClock(env.FAULT_CLOCK_OFFSET_MS);
    this.estimate = new SkewEstimate(env.MAX_CLOCK_SKEW_MS);
    this.probe = new ServerClockProbe(session, new ZookeeperPaths(env.ZK_ROOT).clockProbe(identity.id), () => this.local.now());
    if (env.FAULT_CLOCK_OFFSET_MS !== 0) this.logger.warn(`fault injection on: this replica's clock is shifted by ${env.FAULT_CLOCK_OFFSET_MS} ms`);
  }

  now(): number {
    const wall = this.local.now();
    const verdict = this.estimate.verdict(wall, performance.now());
    if (!verdict.trusted) throw new ClockSkewError(verdict.reason ?? 'clock not trusted');
    return wall;
  }

  /** For /health. */
  verdict(): SkewVerdict {
    return this.estimate.verdict(this.local.now(), performance.now());
  }

  async onApplicationBootstrap(): Promise<void> {
    for (let i = 0; i < FIRST_PROBES; i += 1) await this.sample();
    this.timer = setInterval(() => void this.sample(), PROBE_INTERVAL_MS);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async sample(): Promise<void> {
    try {
      const sample = await this.probe.measure();
      this.estimate.add(sample, this.local.now(), performance.now());
      if (this.failing) this.logger.log('clock probe answers again');
      this.failing = false;
    } catch (error) {
      // The last samples still hold (followed against the monotonic clock); say so once per outage.
      if (!this.failing) this.logger.warn(`clock probe against ZooKeeper failed: ${(error as Error).message}`);
      this.failing = true;
    }
  }
}
