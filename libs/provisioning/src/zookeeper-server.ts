import { mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fourLetterWord, parseSrvr, SrvrStats, ZookeeperMode } from '@app/zookeeper';
import { ChildServer } from './child-server';
import { ensureInstalled } from './debian-packages';
import { assertPortFree } from './free-port';
import { ManagedProcess } from './managed-process';
import { QuorumMember, renderZooCfg } from './zoo-cfg';

export interface ZookeeperServerOptions {
  /** Absolute; holds zoo.cfg, myid, the snapshots and zookeeper.log. Created if missing. */
  dataDir: string;
  clientPort: number;
  tickTimeMs?: number;
  /** Deadline for `start()` to see a `Mode:` line; default 30 s. */
  startTimeoutMs?: number;
  /** Environment for java (JAVA_HOME, PATH); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Set for an ensemble member: its id and every member, itself included. */
  quorum?: { myid: number; members: readonly QuorumMember[] };
  settings?: Readonly<Record<string, string | number>>;
  /** JVM flags; the default keeps several servers on a small machine affordable. */
  jvmOptions?: readonly string[];
}

const DEFAULT_JVM_OPTIONS = [
  '-Xms32m',
  '-Xmx256m',
  '-XX:+UseSerialGC',
  '-Djava.net.preferIPv4Stack=true',
  // The selector thread reads and writes the sockets itself instead of handing each request to a
  // pool of 2 × cores workers (NIOServerCnxnFactory): on a small machine the hand-off cost more
  // than the work. Measured here, ZooKeeper's CPU per lock cycle fell by about a fifth.
  '-Dzookeeper.nio.numWorkerThreads=0',
];

/**
 * One ZooKeeper server run as a child `java` process (no Docker, no systemd). Standalone by
 * default; see ZookeeperEnsemble for three of them. Restartable after stop()/kill(): the data
 * directory is kept, as a real server restart would.
 */
export class ZookeeperServer extends ChildServer {
  readonly dataDir: string;
  readonly clientPort: number;

  constructor(private readonly options: ZookeeperServerOptions) {
    super();
    if (!isAbsolute(options.dataDir)) throw new RangeError(`dataDir must be absolute: ${options.dataDir}`);
    this.dataDir = options.dataDir;
    this.clientPort = options.clientPort;
  }

  get name(): string {
    const id = this.options.quorum ? ` #${this.options.quorum.myid}` : '';
    return `ZooKeeper${id} (127.0.0.1:${this.clientPort})`;
  }

  get connectString(): string {
    return `127.0.0.1:${this.clientPort}`;
  }

  get configFile(): string {
    return join(this.dataDir, 'zoo.cfg');
  }

  get logFile(): string {
    return join(this.dataDir, 'zookeeper.log');
  }

  /** Launches and waits until `srvr` reports a mode (standalone, or leader/follower in a quorum). */
  async start(): Promise<this> {
    await this.launch();
    await this.waitServing();
    return this;
  }

  /** Writes the configuration and starts java without waiting for it to serve (an ensemble starts all first). */
  async launch(): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running (pid ${this.pid})`);
    const installation = await ensureInstalled(this.options.env ?? process.env);
    const member = this.options.quorum?.members.find((m) => m.id === this.options.quorum?.myid);
    if (this.options.quorum && !member) throw new RangeError(`myid ${this.options.quorum.myid} is not among the members`);
    for (const port of [this.clientPort, member?.peerPort, member?.electionPort]) {
      if (port !== undefined) await assertPortFree(port, this.name);
    }
    mkdirSync(this.dataDir, { recursive: true });
    writeFileSync(
      this.configFile,
      renderZooCfg({
        dataDir: this.dataDir,
        clientPort: this.clientPort,
        tickTimeMs: this.options.tickTimeMs,
        members: this.options.quorum?.members,
        settings: this.options.settings,
      }),
    );
    if (this.options.quorum) writeFileSync(join(this.dataDir, 'myid'), `${this.options.quorum.myid}\n`);
    this.process = ManagedProcess.launch({
      service: this.name,
      command: installation.java,
      args: [
        ...(this.options.jvmOptions ?? DEFAULT_JVM_OPTIONS),
        '-Dorg.slf4j.simpleLogger.showDateTime=true',
        '-cp',
        installation.zookeeperClasspath.join(':'),
        'org.apache.zookeeper.server.quorum.QuorumPeerMain',
        this.configFile,
      ],
      logFile: this.logFile,
      cwd: this.dataDir,
      env: this.options.env,
    });
  }

  /** `ruok` answers before the server serves, so readiness is a `Mode:` line in `srvr`. */
  async waitServing(timeoutMs = this.options.startTimeoutMs ?? 30_000): Promise<SrvrStats> {
    let stats: SrvrStats | undefined;
    await this.requireProcess().waitReady({
      timeoutMs,
      port: this.clientPort,
      probe: async () => {
        stats = await this.srvr();
        return stats.mode !== undefined;
      },
    });
    return stats ?? (await this.srvr());
  }

  srvr(timeoutMs = 1000): Promise<SrvrStats> {
    return fourLetterWord('127.0.0.1', this.clientPort, 'srvr', timeoutMs).then(parseSrvr);
  }

  /** The mode `srvr` reports, or undefined when the server is down, frozen or not serving. */
  async mode(timeoutMs = 1000): Promise<ZookeeperMode | undefined> {
    if (!this.running) return undefined;
    return this.srvr(timeoutMs).then(
      (stats) => stats.mode,
      () => undefined, // unreachable is an answer here: "not serving"
    );
  }

}
