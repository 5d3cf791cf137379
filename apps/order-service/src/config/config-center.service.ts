import { EventEmitter } from 'node:events';
import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Stat } from 'node-zookeeper-client';
import { WatchedNode, ZookeeperSession, zxidToNumber } from '@app/zookeeper';
import { ORDER_SERVICE_CONFIG } from './config.tokens';
import { OrderServiceConfig, ZookeeperPaths } from '@app/contracts';
import { parseRuntimeConfig, RuntimeConfig, runtimeConfigFromEnv } from '@app/contracts';

/**
 * The config center's client: follows `<ZK_ROOT>/config/order-service` and switches this replica
 * at run time. The environment only seeds the node when it does not exist yet; from then on the
 * node wins. An invalid value is refused: the last good config stays, and the reason is kept for
 * `/health` and `/status`. A deleted node (an operator's `deleteall`) is created again from the
 * last good config read from it, never from the environment seed, which may be long out of date.
 */
@Injectable()
export class ConfigCenter implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ConfigCenter.name);
  private readonly changes = new EventEmitter();
  private readonly watched: WatchedNode;
  private current: RuntimeConfig;
  /** The last config read from the node and accepted; null until one is. */
  private lastGood: RuntimeConfig | null = null;
  private rejection: string | null = null;
  private version = -1;

  constructor(
    @Inject(ORDER_SERVICE_CONFIG) private readonly env: OrderServiceConfig,
    session: ZookeeperSession,
  ) {
    this.current = runtimeConfigFromEnv(env);
    this.watched = new WatchedNode(
      session,
      new ZookeeperPaths(env.ZK_ROOT).config,
      () => (this.lastGood ? Buffer.from(JSON.stringify(this.lastGood)) : null),
      this.logger,
    );
    this.watched.on('data', (data: Buffer | null, version: number, stat: Stat | null) => this.apply(data, version, stat));
  }

  get path(): string {
    return this.watched.path;
  }

  async onModuleInit(): Promise<void> {
    await this.watched.start(Buffer.from(JSON.stringify(runtimeConfigFromEnv(this.env))));
  }

  onModuleDestroy(): void {
    this.watched.close();
  }

  get(): RuntimeConfig {
    return this.current;
  }

  /** Why the node's newest value was refused, or null when it is in force. */
  get lastRejection(): string | null {
    return this.rejection;
  }

  get nodeVersion(): number {
    return this.version;
  }

  onChange(listener: (config: RuntimeConfig, previous: RuntimeConfig) => void): void {
    this.changes.on('change', listener);
  }

  /**
   * Every read of the node that leaves a config in force, changed or not: the config and the node's
   * last-modified zxid (0 when the node is missing and the last good config stays), the counter an
   * epoch is made of (DESIGN §3).
   */
  onRead(listener: (config: RuntimeConfig, counter: number) => void): void {
    this.changes.on('read', listener);
  }

  private apply(data: Buffer | null, version: number, stat: Stat | null): void {
    this.version = version;
    if (data === null) {
      this.rejection = `${this.path} does not exist; keeping the last good config`;
      this.logger.warn(this.rejection);
      this.changes.emit('read', this.current, 0);
      return;
    }
    const parsed = parseRuntimeConfig(data);
    if (!parsed.ok) {
      this.rejection = `refused config version ${version}: ${parsed.error}; keeping the last good one`;
      this.logger.warn(this.rejection);
      return;
    }
    const previous = this.current;
    this.current = parsed.config;
    this.lastGood = parsed.config;
    this.rejection = null;
    if (JSON.stringify(previous) !== JSON.stringify(parsed.config)) {
      this.logger.log(`config version ${version} in force: ${JSON.stringify(parsed.config)}`);
      this.changes.emit('change', parsed.config, previous);
    }
    this.changes.emit('read', parsed.config, stat ? zxidToNumber(stat.mzxid) : 0);
  }
}
