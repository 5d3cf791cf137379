import { mkdirSync } from 'node:fs';
import { Socket } from 'node:net';
import { isAbsolute, join } from 'node:path';
import { ChildServer } from './child-server';
import { ensureInstalled } from './debian-packages';
import { assertPortFree } from './free-port';
import { ManagedProcess } from './managed-process';

export interface RedisServerOptions {
  /** Absolute; working directory and redis.log. Created if missing. */
  dataDir: string;
  port: number;
  /** Deadline for `start()` to get PONG; default 10 s. */
  startTimeoutMs?: number;
  /** More `--name value` arguments, e.g. ['--maxmemory', '64mb']. */
  extraArgs?: readonly string[];
}

/**
 * One redis-server as a child process (not daemonized: we own it, so stopping or losing the
 * parent's process group takes it down and no pidfile can go stale). No persistence: every
 * start is a fresh, empty Redis.
 */
export class RedisServer extends ChildServer {
  readonly dataDir: string;
  readonly port: number;

  constructor(private readonly options: RedisServerOptions) {
    super();
    if (!isAbsolute(options.dataDir)) throw new RangeError(`dataDir must be absolute: ${options.dataDir}`);
    this.dataDir = options.dataDir;
    this.port = options.port;
  }

  get name(): string {
    return `Redis (127.0.0.1:${this.port})`;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get logFile(): string {
    return join(this.dataDir, 'redis.log');
  }

  async start(): Promise<this> {
    if (this.running) throw new Error(`${this.name} is already running (pid ${this.pid})`);
    const installation = await ensureInstalled();
    await assertPortFree(this.port, this.name);
    mkdirSync(this.dataDir, { recursive: true });
    const child = ManagedProcess.launch({
      service: this.name,
      command: installation.redisServer,
      // An empty --logfile sends the log to stdout, which ManagedProcess writes to logFile.
      args: [
        ...['--bind', '127.0.0.1', '--port', String(this.port), '--dir', this.dataDir, '--logfile', ''],
        ...['--save', '', '--appendonly', 'no', '--daemonize', 'no'],
        ...(this.options.extraArgs ?? []),
      ],
      logFile: this.logFile,
      cwd: this.dataDir,
    });
    this.process = child;
    await child.waitReady({
      timeoutMs: this.options.startTimeoutMs ?? 10_000,
      port: this.port,
      probe: async () => (await this.ping()) === 'PONG',
    });
    return this;
  }

  /** Sends an inline PING and resolves with the first reply line ("PONG", or e.g. "LOADING ..."). */
  ping(timeoutMs = 1000): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = new Socket();
      let reply = '';
      const timer = setTimeout(() => socket.destroy(new Error(`${this.name}: no PING reply within ${timeoutMs} ms`)), timeoutMs);
      socket.on('data', (chunk: Buffer) => {
        reply += chunk.toString('utf8');
        const end = reply.indexOf('\r\n');
        if (end < 0) return;
        clearTimeout(timer);
        socket.destroy();
        resolve(reply.slice(1, end));
      });
      socket.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.on('close', () => {
        clearTimeout(timer);
        reject(new Error(`${this.name}: connection closed before a PING reply`));
      });
      socket.connect(this.port, '127.0.0.1', () => socket.write('PING\r\n'));
    });
  }

}
