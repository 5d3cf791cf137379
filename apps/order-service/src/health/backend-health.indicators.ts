import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import Redis from 'ioredis';
import { MariadbDatabase } from '@app/mariadb';
import { probeServers, ZookeeperSession } from '@app/zookeeper';

const PROBE_TIMEOUT_MS = 1000;

/**
 * ZooKeeper is healthy when our session is connected and a server answers `srvr` with a `Mode:`
 * line; `ruok` is not enough, it answers `imok` before the server serves.
 */
@Injectable()
export class BackendHealthIndicators {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly session: ZookeeperSession,
    @Inject(Redis) private readonly redisClient: Redis,
    private readonly database: MariadbDatabase,
  ) {}

  /** Asked only while a database strategy is in force: the pool connects on first use, and other strategies never need it. */
  async mariadb(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('database');
    try {
      await this.database.ping(PROBE_TIMEOUT_MS);
      return check.up({ at: this.database.location });
    } catch (error) {
      return check.down({ at: this.database.location, error: (error as Error).message });
    }
  }

  async zookeeper(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('zookeeper');
    const servers = await probeServers(this.session.connectString, PROBE_TIMEOUT_MS);
    const serving = servers.some((server) => server.mode !== undefined);
    const details = { session: this.session.state, servers };
    return serving && this.session.state === 'connected' ? check.up(details) : check.down(details);
  }

  async redis(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('redis');
    try {
      // Its own short deadline: the client's command timeout is the request's, far too long for a probe.
      const reply = await Promise.race([
        this.redisClient.ping(),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`no PONG within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS).unref(),
        ),
      ]);
      return check.up({ ping: reply });
    } catch (error) {
      return check.down({ error: (error as Error).message });
    }
  }
}
