import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { CommandFailedError } from './errors';

export interface CommandOptions {
  /** Added to process.env. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** SIGTERM after this long, then the command counts as failed; default 60 s. */
  timeoutMs?: number;
  /** Also appended here as it arrives, for commands whose output is long (a build). */
  logFile?: string;
  /** Written to the command's standard input. */
  input?: string;
}

export interface CommandResult {
  stdout: string;
  stderr: string;
}

// Enough for any answer we parse; a long build keeps its full output in `logFile`.
const KEEP_BYTES = 4 * 1024 * 1024;

/** Runs a program (no shell) to completion; a non-zero exit or a timeout rejects with its output. */
export function runCommand(command: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
  const commandLine = [command, ...args].join(' ');
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const all: Buffer[] = [];
    const collect = (into: Buffer[]) => (chunk: Buffer): void => {
      into.push(chunk);
      all.push(chunk);
      if (options.logFile) appendFileSync(options.logFile, chunk);
    };
    child.stdout?.on('data', collect(out));
    child.stderr?.on('data', collect(err));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, timeoutMs);
    const tail = (chunks: Buffer[]): string => {
      const text = Buffer.concat(chunks);
      return text.subarray(Math.max(0, text.length - KEEP_BYTES)).toString('utf8');
    };
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new CommandFailedError(commandLine, null, error.message, error));
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code === 0 && !timedOut) resolve({ stdout: tail(out), stderr: tail(err) });
      else {
        const note = timedOut ? `\n(stopped: no exit within ${timeoutMs} ms)` : '';
        reject(new CommandFailedError(commandLine, code, `${tail(all)}${note}`));
      }
    });
    if (child.stdin) {
      // A command that exits without reading all its input reports that through its exit status.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input);
    }
  });
}
