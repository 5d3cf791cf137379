import { ExitStatus, ManagedProcess } from './managed-process';

/**
 * What every server we run as a child process shares: its process handle and the signals the
 * tests send it (stop, kill, freeze, thaw). Subclasses say how to launch and when it serves.
 */
export abstract class ChildServer {
  protected process: ManagedProcess | undefined;

  abstract get name(): string;

  get pid(): number | undefined {
    return this.process?.running ? this.process.pid : undefined;
  }

  get running(): boolean {
    return this.process?.running ?? false;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
  async stop(graceMs?: number): Promise<ExitStatus | undefined> {
    return this.process?.stop(graceMs);
  }

  async kill(): Promise<ExitStatus | undefined> {
    return this.process?.kill();
  }

  /** Freezes the server (SIGSTOP): connections stay open and nothing answers, like a hung host. */
  pause(): void {
    this.requireProcess().pause();
  }

  resume(): void {
    this.requireProcess().resume();
  }

  protected requireProcess(): ManagedProcess {
    if (!this.process) throw new Error(`${this.name} was never started`);
    return this.process;
  }
}
