import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ExitStatus, ManagedProcess, ProvisioningError } from '@app/provisioning';
import { getJson } from './http-json';
import { REPO_ROOT } from './repo-root';

/** Thrown before launching anything when `npm run build` has not produced the app. */
export class AppNotBuiltError extends ProvisioningError {
  constructor(
    readonly app: string,
    readonly entry: string,
  ) {
    super(`${entry} is missing: run 'npm run build' first (${app} runs from the compiled dist/)`);
  }
}

/** One compiled app (`node scripts/run-app.js <app>`) as a child process with its output in a log file. */
export class NodeApp {
  private process: ManagedProcess | undefined;

  constructor(
    readonly name: string,
    private readonly app: 'order-service' | 'gateway',
    private readonly logFile: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  static assertBuilt(app: string): void {
    const entry = join(REPO_ROOT, 'dist', 'apps', app, 'src', 'main.js');
    if (!existsSync(entry)) throw new AppNotBuiltError(app, entry);
  }

  get pid(): number | undefined {
    return this.process?.running ? this.process.pid : undefined;
  }

  get running(): boolean {
    return this.process?.running ?? false;
  }

  /** Launches and waits until `healthUrl` answers 200 and `ready()` (if given) agrees. */
  async start(healthUrl: string, port: number, timeoutMs: number, ready: () => Promise<boolean> = async () => true): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running (pid ${this.pid})`);
    this.process = ManagedProcess.launch({
      service: this.name,
      command: process.execPath,
      args: [join(REPO_ROOT, 'scripts', 'run-app.js'), this.app],
      logFile: this.logFile,
      cwd: REPO_ROOT,
      env: this.env,
    });
    await this.process.waitReady({
      timeoutMs,
      port,
      probe: async () => (await getJson(healthUrl)).status === 200 && (await ready()),
    });
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<ExitStatus | undefined> {
    return this.process?.stop(graceMs);
  }

  /** Sends `signal`; for SIGKILL and SIGTERM resolves once the process has exited. */
  async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.process;
    if (!child?.running) return;
    if (signal === 'SIGKILL') await child.kill();
    else if (signal === 'SIGTERM') await child.stop();
    else if (signal === 'SIGSTOP') child.pause();
    else if (signal === 'SIGCONT') child.resume();
    else if (child.pid !== undefined) process.kill(child.pid, signal);
  }

  logTail(lines?: number): string {
    return this.process?.logTail(lines) ?? '';
  }
}
