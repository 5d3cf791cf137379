import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, fstatSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { PortInUseError, ServiceStartError } from './errors';
import { diagnoseLog } from './log-diagnosis';

export interface LaunchOptions {
  service: string;
  command: string;
  args: readonly string[];
  logFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export interface ReadyOptions {
  timeoutMs: number;
  /** The port reported when the log says "Address already in use" without naming one. */
  port: number;
  /** Resolves true once the server serves; rejections count as "not yet". */
  probe(): Promise<boolean>;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const PAUSE_TIMEOUT_MS = 5000;
/** How long a server that rejected its configuration gets to finish its log and exit by itself. */
const CONFIG_EXIT_GRACE_MS = 3000;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Synchronous, so that `pause()` callers need not change: each wait blocks this process for 1 ms. */
function waitUntilStopped(pid: number, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  while (!allThreadsStopped(pid)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} has not stopped ${timeoutMs} ms after SIGSTOP`);
    Atomics.wait(sleeper, 0, 0, 1);
  }
}

/** From /proc/<pid>/task/<tid>/stat; true when there is no such process (exited, or no procfs). */
function allThreadsStopped(pid: number): boolean {
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return true; // nothing left that could answer, or no procfs to tell: nothing to wait for
  }
  return threads.every((tid) => {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      return true; // the thread ended meanwhile
    }
    const state = stat.charAt(stat.lastIndexOf(')') + 2);
    return state === 'T' || state === 't' || state === 'Z' || state === 'X';
  });
}

// Children still running when this process exits normally (including process.exit, as Jest does)
// are killed here so that no server outlives the test run that started it.
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** A server child process we own: output to a log file, never daemonized, always reaped. */
export class ManagedProcess {
  readonly exited: Promise<ExitStatus>;
  private exitStatus: ExitStatus | undefined;

  private constructor(
    readonly service: string,
    readonly logFile: string,
    private readonly child: ChildProcess,
    // Where this run's output starts: a restarted server appends to the same log.
    private readonly logOffset: number,
  ) {
    live.add(child);
    this.exited = new Promise((resolve) => {
      const done = (status: ExitStatus): void => {
        live.delete(child);
        this.exitStatus ??= status;
        resolve(this.exitStatus);
      };
      child.once('exit', (code, signal) => done({ code, signal }));
      // spawn failures (ENOENT, EACCES) arrive as 'error' without an 'exit'.
      child.once('error', () => done({ code: null, signal: null }));
    });
  }

  static launch(options: LaunchOptions): ManagedProcess {
    const log = openSync(options.logFile, 'a');
    try {
      const offset = fstatSync(log).size;
      const child = spawn(options.command, [...options.args], {
        cwd: options.cwd,
        env: options.env ?? process.env,
        stdio: ['ignore', log, log],
      });
      return new ManagedProcess(options.service, options.logFile, child, offset);
    } finally {
      closeSync(log); // the child holds its own copy of the descriptor
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitStatus === undefined;
  }

  logTail(lines = 25): string {
    return this.readLog().trimEnd().split('\n').slice(-lines).join('\n');
  }

  /** Polls `probe` until it says ready; fails fast when the process exits or its log explains a failure. */
  async waitReady(options: ReadyOptions): Promise<void> {
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      const diagnosis = diagnoseLog(this.readLog());
      if (diagnosis?.kind === 'port-in-use') {
        await this.kill();
        throw new PortInUseError(this.service, diagnosis.port ?? options.port);
      }
      if (diagnosis?.kind === 'config') {
        // The first line of a rejection can be in the log before its causes (a Java stack trace is
        // written line by line): let the server finish saying why and exit, then read it all.
        let grace: NodeJS.Timeout | undefined;
        await Promise.race([this.exited, new Promise((resolve) => (grace = setTimeout(resolve, CONFIG_EXIT_GRACE_MS)))]);
        // Left running, the grace timer kept the caller's process alive 3 s after a server that exited at once.
        clearTimeout(grace);
        await this.kill();
        const complete = diagnoseLog(this.readLog());
        throw this.startError('config', complete?.kind === 'config' ? complete.detail : diagnosis.detail);
      }
      if (!this.running) {
        const { code, signal } = this.exitStatus ?? { code: null, signal: null };
        throw this.startError('exited', `process exited early (code ${code}, signal ${signal})`);
      }
      if (await options.probe().catch(() => false)) return;
      if (Date.now() > deadline) {
        await this.kill();
        throw this.startError('timeout', `not ready within ${options.timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`; resolves once it has exited. */
  async stop(graceMs = 5000): Promise<ExitStatus> {
    if (!this.running) return this.exited;
    this.child.kill('SIGTERM');
    // A stopped (paused) process only acts on SIGTERM once continued.
    this.child.kill('SIGCONT');
    let timer: NodeJS.Timeout | undefined;
    const escalate = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve();
      }, graceMs);
    });
    await Promise.race([this.exited, escalate]);
    clearTimeout(timer);
    return this.exited;
  }

  async kill(): Promise<ExitStatus> {
    if (this.running) this.child.kill('SIGKILL');
    return this.exited;
  }

  /**
   * Freezes the process (SIGSTOP): its sockets stay open but nothing answers, like a long GC pause.
   * Returns once every thread has stopped: the signal takes effect only when the process is next
   * scheduled, and on a loaded machine a "paused" ZooKeeper went on answering for tens of ms.
   */
  pause(): void {
    if (!this.running) return;
    this.child.kill('SIGSTOP');
    const pid = this.child.pid;
    if (pid !== undefined) waitUntilStopped(pid, PAUSE_TIMEOUT_MS);
  }

  resume(): void {
    if (this.running) this.child.kill('SIGCONT');
  }

  private readLog(): string {
    try {
      return readFileSync(this.logFile).subarray(this.logOffset).toString('utf8');
    } catch {
      return ''; // not created yet by the child: nothing to diagnose
    }
  }

  private startError(failure: 'exited' | 'timeout' | 'config', detail: string): ServiceStartError {
    return new ServiceStartError(this.service, failure, detail, this.logFile, this.logTail());
  }
}
