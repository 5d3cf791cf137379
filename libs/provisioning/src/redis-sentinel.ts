import { mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ChildServer } from './child-server';
import { ensureInstalled } from './debian-packages';
import { assertPortFree } from './free-port';
import { ManagedProcess } from './managed-process';
import { pingRedis, quoted } from './redis-server';

export interface RedisSentinelOptions {
  /** Absolute; holds sentinel.conf (which Sentinel rewrites as it learns) and sentinel.log. */
  dataDir: string;
  port: number;
  /** The name clients ask for (`REDIS_MASTER_NAME`). */
  masterName: string;
  /** The port of the primary on 127.0.0.1 it starts out monitoring; replicas and other Sentinels it discovers. */
  primaryPort: number;
  /** How many Sentinels must agree the primary is down before a failover. */
  quorum: number;
  /** Of the data nodes (`auth-pass`), and this Sentinel's own `requirepass`: clients send one password to both. */
  password?: string;
  /** Silence after which this Sentinel holds the primary down; default 1000 ms (a test's failover, not a deployment's). */
  downAfterMs?: number;
  /** Default 10 s. */
  startTimeoutMs?: number;
}

/**
 * One Redis Sentinel as a child process: `redis-server sentinel.conf --sentinel`, the program
 * Debian's redis-sentinel package starts (its binary is the same redis-server). Every start
 * writes a fresh sentinel.conf, so a Sentinel never resumes from what an earlier run learnt.
 */
export class RedisSentinel extends ChildServer {
  readonly port: number;

  constructor(private readonly options: RedisSentinelOptions) {
    super();
    if (!isAbsolute(options.dataDir)) throw new RangeError(`dataDir must be absolute: ${options.dataDir}`);
    this.port = options.port;
  }

  get name(): string {
    return `Redis Sentinel (127.0.0.1:${this.port})`;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get logFile(): string {
    return join(this.options.dataDir, 'sentinel.log');
  }

  async start(): Promise<this> {
    if (this.running) throw new Error(`${this.name} is already running (pid ${this.pid})`);
    const installation = await ensureInstalled();
    await assertPortFree(this.port, this.name);
    mkdirSync(this.options.dataDir, { recursive: true });
    const config = join(this.options.dataDir, 'sentinel.conf');
    writeFileSync(config, `${this.configLines().join('\n')}\n`, { mode: 0o600 });
    const child = ManagedProcess.launch({
      service: this.name,
      command: installation.redisServer,
      args: [config, '--sentinel'],
      logFile: this.logFile,
      cwd: this.options.dataDir,
    });
    this.process = child;
    await child.waitReady({
      timeoutMs: this.options.startTimeoutMs ?? 10_000,
      port: this.port,
      probe: async () => (await pingRedis(this.name, this.port, this.options.password)) === 'PONG',
    });
    return this;
  }

  private configLines(): string[] {
    const { masterName, primaryPort, quorum, password } = this.options;
    return [
      `port ${this.port}`,
      'bind 127.0.0.1',
      `dir ${quoted(this.options.dataDir)}`,
      // Empty: to stdout, which ManagedProcess writes to sentinel.log.
      'logfile ""',
      'daemonize no',
      ...(password === undefined ? [] : [`requirepass ${quoted(password)}`]),
      `sentinel monitor ${masterName} 127.0.0.1 ${primaryPort} ${quorum}`,
      `sentinel down-after-milliseconds ${masterName} ${this.options.downAfterMs ?? 1000}`,
      // Past this, a failover that stalled is tried again (by another Sentinel, if one can).
      `sentinel failover-timeout ${masterName} 10000`,
      `sentinel parallel-syncs ${masterName} 1`,
      ...(password === undefined ? [] : [`sentinel auth-pass ${masterName} ${quoted(password)}`]),
    ];
  }
}
