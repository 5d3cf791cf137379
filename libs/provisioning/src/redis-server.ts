import { mkdirSync, writeFileSync } from 'node:fs';
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
  /**
   * `requirepass`: clients must AUTH first. Written to a mode-0600 config file in dataDir, not on
   * the command line, where every local user's `ps` would show it.
   */
  password?: string;
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

  /** What REDIS_URL should say: with the password (`redis://:password@...`) when there is one. */
  get url(): string {
    const auth = this.options.password === undefined ? '' : `:${encodeURIComponent(this.options.password)}@`;
    return `redis://${auth}127.0.0.1:${this.port}`;
  }

  get logFile(): string {
    return join(this.dataDir, 'redis.log');
  }

  async start(): Promise<this> {
    if (this.running) throw new Error(`${this.name} is already running (pid ${this.pid})`);
    const installation = await ensureInstalled();
    await assertPortFree(this.port, this.name);
    mkdirSync(this.dataDir, { recursive: true });
    const config = this.writeSecrets();
    const child = ManagedProcess.launch({
      service: this.name,
      command: installation.redisServer,
      // An empty --logfile sends the log to stdout, which ManagedProcess writes to logFile.
      args: [
        ...config,
        ...['--bind', '127.0.0.1', '--port', String(this.port), '--dir', this.dataDir, '--logfile', ''],
        ...['--save', '', '--appendonly', 'no', '--daemonize', 'no'],
        // A replica's full sync starts at once instead of waiting 5 s for others to join it.
        ...['--repl-diskless-sync-delay', '0'],
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

  /**
   * The config file argument holding `requirepass` and `masterauth` (the same password: should
   * this Redis become a replica, its primary asks for it), or none.
   */
  private writeSecrets(): string[] {
    const { password } = this.options;
    if (password === undefined) return [];
    const file = join(this.dataDir, 'secrets.conf');
    writeFileSync(file, `requirepass ${quoted(password)}\nmasterauth ${quoted(password)}\n`, { mode: 0o600 });
    return [file];
  }

  /**
   * Sends an inline PING (after AUTH when there is a password) and resolves with the PING's reply
   * line ("PONG", or e.g. "LOADING ..."; "WRONGPASS ..." when the AUTH was refused).
   */
  ping(timeoutMs = 1000): Promise<string> {
    return pingRedis(this.name, this.port, this.options.password, timeoutMs);
  }
}

/**
 * PING over the inline protocol, after AUTH when there is a password: a Redis or a Sentinel,
 * without a client library. Resolves with the PING's reply line, or AUTH's refusal.
 */
export function pingRedis(name: string, port: number, password: string | undefined, timeoutMs = 1000): Promise<string> {
  const auth = password === undefined ? '' : `AUTH ${quoted(password)}\r\n`;
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let reply = '';
    const timer = setTimeout(() => socket.destroy(new Error(`${name}: no PING reply within ${timeoutMs} ms`)), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('utf8');
      const lines = reply.split('\r\n');
      // AUTH's answer first: a refusal is the reply; else the PING's.
      if (auth !== '' && lines.length > 1 && lines[0] !== '+OK') finish(lines[0]);
      else if (lines.length > (auth === '' ? 1 : 2)) finish(lines[auth === '' ? 0 : 1]);
    });
    const finish = (line: string): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(line.slice(1));
    };
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      reject(new Error(`${name}: connection closed before a PING reply`));
    });
    socket.connect(port, '127.0.0.1', () => socket.write(`${auth}PING\r\n`));
  });
}

/** A double-quoted string as redis.conf and the inline protocol read it. */
export function quoted(text: string): string {
  return `"${text.replace(/["\\]/g, '\\$&')}"`;
}
