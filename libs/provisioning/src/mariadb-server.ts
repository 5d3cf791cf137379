import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { ChildServer } from './child-server';
import { ensureProgram } from './debian-packages';
import { DataDirNotWritableError } from './errors';
import { assertPortFree } from './free-port';
import { ManagedProcess } from './managed-process';
import { runCommand } from './run-command';

export interface MariadbServerOptions {
  /** Absolute; holds data/ (the database files), the socket and mariadb.log. Created if missing. */
  dataDir: string;
  port: number;
  /** The database the service uses; created empty on first start. Default `ordernum`. */
  database?: string;
  /** Deadline for `start()` to answer a ping; default 30 s (the first start also initialises data/). */
  startTimeoutMs?: number;
  /** More `--name=value` server options. */
  extraArgs?: readonly string[];
}

const PACKAGE = 'mariadb-server';

/**
 * One `mariadbd` as a child process (no systemd, no mysqld_safe): bound to 127.0.0.1, root
 * without a password (loopback only, like our Redis), durable commits as the package ships them.
 * The data directory is initialised once and kept across stop()/start(), as a real restart would.
 */
export class MariadbServer extends ChildServer {
  readonly dataDir: string;
  readonly port: number;
  readonly database: string;

  constructor(private readonly options: MariadbServerOptions) {
    super();
    if (!isAbsolute(options.dataDir)) throw new RangeError(`dataDir must be absolute: ${options.dataDir}`);
    this.dataDir = options.dataDir;
    this.port = options.port;
    this.database = options.database ?? 'ordernum';
  }

  get name(): string {
    return `MariaDB (127.0.0.1:${this.port})`;
  }

  /** What DATABASE_URL is set to for the order service. */
  get url(): string {
    return `mysql://root@127.0.0.1:${this.port}/${this.database}`;
  }

  get logFile(): string {
    return join(this.dataDir, 'mariadb.log');
  }

  private get files(): string {
    return join(this.dataDir, 'data');
  }

  async start(): Promise<this> {
    if (this.running) throw new Error(`${this.name} is already running (pid ${this.pid})`);
    const [mariadbd, installDb] = await Promise.all([ensureProgram('mariadbd', PACKAGE), ensureProgram('mariadb-install-db', PACKAGE)]);
    await assertPortFree(this.port, this.name);
    this.prepareDataDir();
    if (!existsSync(join(this.files, 'mysql'))) await this.initialise(installDb);
    const child = ManagedProcess.launch({
      service: this.name,
      command: mariadbd,
      args: [
        // --no-defaults first: the machine's /etc/mysql must not choose our port, socket or datadir.
        '--no-defaults',
        `--datadir=${this.files}`,
        `--socket=${join(this.dataDir, 'mariadb.sock')}`,
        `--pid-file=${join(this.dataDir, 'mariadb.pid')}`,
        `--port=${this.port}`,
        '--bind-address=127.0.0.1',
        '--user=root',
        '--skip-name-resolve',
        // Small buffers: several servers share this machine with the tests.
        '--innodb-buffer-pool-size=64M',
        '--innodb-log-file-size=48M',
        '--max-connections=500',
        ...(this.options.extraArgs ?? []),
      ],
      logFile: this.logFile,
      cwd: this.dataDir,
    });
    this.process = child;
    await child.waitReady({ timeoutMs: this.options.startTimeoutMs ?? 30_000, port: this.port, probe: () => this.ping() });
    await this.createDatabase();
    return this;
  }

  /** True once the server accepts a login and answers a ping. */
  async ping(timeoutMs = 1000): Promise<boolean> {
    const connection = await createConnection({ host: '127.0.0.1', port: this.port, user: 'root', connectTimeout: timeoutMs });
    try {
      await connection.ping();
      return true;
    } finally {
      connection.destroy();
    }
  }

  /** mariadbd's own message for an unwritable datadir is a line deep in its log; say it up front. */
  private prepareDataDir(): void {
    for (const dir of [this.dataDir, ...(existsSync(this.files) ? [this.files] : [])]) {
      try {
        mkdirSync(dir, { recursive: true });
        accessSync(dir, constants.W_OK | constants.X_OK);
      } catch (error) {
        throw new DataDirNotWritableError(this.name, dir, error);
      }
    }
  }

  private async initialise(installDb: string): Promise<void> {
    // Root logs in with an empty password over TCP (normal authentication), never via unix_socket:
    // the service connects as root@127.0.0.1, and only loopback can reach this server.
    await runCommand(installDb, [
      '--no-defaults',
      `--datadir=${this.files}`,
      '--user=root',
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ]);
  }

  private async createDatabase(): Promise<void> {
    const connection = await createConnection({ host: '127.0.0.1', port: this.port, user: 'root' });
    try {
      await connection.query(`CREATE DATABASE IF NOT EXISTS \`${this.database}\``);
    } finally {
      await connection.end();
    }
  }
}
