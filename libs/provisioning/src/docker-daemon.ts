import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ChildServer } from './child-server';
import { ensureProgram, findProgram } from './debian-packages';
import { DockerCli } from './docker-cli';
import { DockerUnavailableError } from './errors';
import { ExitStatus, ManagedProcess } from './managed-process';
import { runCommand } from './run-command';

export interface DockerDaemonOptions {
  /** Absolute; holds our own daemon's data root, exec root, socket, pid file and log. */
  dir: string;
  /** Deadline for our own dockerd to answer; default 60 s. */
  startTimeoutMs?: number;
}

// No bridge and no iptables: a bridge would put container traffic on a private-range network,
// which these machines must never carry. Containers and builds then run with --network host.
const NETWORK_FLAGS = ['--bridge=none', '--iptables=false', '--ip6tables=false'];

/**
 * A Docker daemon to build and run images: the system's when one answers, otherwise a `dockerd`
 * of our own (installing Debian's `docker.io` when missing) with everything under `dir`, stopped
 * by stop(). Failing to install or to start dockerd is a DockerUnavailableError.
 */
export class DockerDaemon extends ChildServer {
  private constructor(
    readonly cli: DockerCli,
    private readonly options: DockerDaemonOptions,
    private readonly dockerd?: string,
  ) {
    super();
  }

  static async connect(options: DockerDaemonOptions): Promise<DockerDaemon> {
    if (!isAbsolute(options.dir)) throw new RangeError(`dir must be absolute: ${options.dir}`);
    const client = findProgram('docker');
    if (client && (await new DockerCli(client).serverVersion())) {
      return new DockerDaemon(new DockerCli(client), options);
    }
    const dockerd = await ensureProgram('dockerd', 'docker.io').catch((error: Error) => {
      throw new DockerUnavailableError('install', error.message, error);
    });
    const docker = client ?? findProgram('docker');
    if (!docker) throw new DockerUnavailableError('install', `docker.io is installed but no docker client is on PATH`);
    const daemon = new DockerDaemon(new DockerCli(docker, `unix://${join(options.dir, 'docker.sock')}`), options, dockerd);
    await daemon.start();
    return daemon;
  }

  get name(): string {
    return this.ownDaemon ? `dockerd (${this.cli.host})` : 'the system Docker daemon';
  }

  /** False when the system's daemon was used: stop() then leaves it running. */
  get ownDaemon(): boolean {
    return this.dockerd !== undefined;
  }

  get logFile(): string {
    return join(this.options.dir, 'dockerd.log');
  }

  /**
   * SIGTERM to our own dockerd (it stops its containers and its containerd), SIGKILL after
   * `graceMs`; then unmounts what it left under `dir`, so that the directory can be removed.
   */
  override async stop(graceMs = 30_000): Promise<ExitStatus | undefined> {
    const status = await super.stop(graceMs);
    if (this.ownDaemon) {
      // dockerd 20.10 leaves its exec root's netns/default bind mount behind when it exits.
      for (const mountPoint of mountPointsUnder(this.options.dir).reverse()) await runCommand('umount', [mountPoint]);
    }
    return status;
  }

  private async start(): Promise<void> {
    const dir = this.options.dir;
    mkdirSync(dir, { recursive: true });
    // An empty configuration of our own: the system's daemon.json may set a bridge, or flags
    // that conflict with ours.
    const config = join(dir, 'daemon.json');
    writeFileSync(config, '{}\n');
    this.process = ManagedProcess.launch({
      service: this.name,
      command: this.dockerd ?? 'dockerd',
      args: [
        ...['--config-file', config, '--data-root', join(dir, 'data'), '--exec-root', join(dir, 'exec')],
        ...['--pidfile', join(dir, 'dockerd.pid'), '-H', this.cli.host ?? ''],
        ...NETWORK_FLAGS,
      ],
      logFile: this.logFile,
      cwd: dir,
    });
    try {
      await this.process.waitReady({
        timeoutMs: this.options.startTimeoutMs ?? 60_000,
        port: 0,
        probe: async () => (await this.cli.serverVersion()) !== undefined,
      });
    } catch (error) {
      throw new DockerUnavailableError('daemon', (error as Error).message, error);
    }
  }
}

/** Mount points at or below `dir`, parents before children (/proc/self/mountinfo order). */
function mountPointsUnder(dir: string): string[] {
  const points = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    // mountinfo writes a space, tab, newline or backslash in a path as an octal escape.
    .map((field) => field?.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))));
  return points.filter((point): point is string => point !== undefined && (point === dir || point.startsWith(`${dir}/`)));
}
