import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Logger {
  child: ChildProcess;
  /** What reached its stdout so far. */
  output: () => string;
  /** Lines for it to log, then `exit`. */
  send: (text: string) => void;
  exited: Promise<number | null>;
}

const FIXTURE = join(__dirname, 'batched-stdout.fixture.ts');

/** A process whose stdout (a pipe) is `batchedStdout()`: every line sent to its stdin is logged. */
function pipedLogger(): Logger {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return { child, output: () => output, send: (text) => child.stdin?.write(text), exited: exitOf(child) };
}

/** The same with stdout a regular file, as the local cluster's log files are (written synchronously). */
function fileLogger(dir: string): Logger {
  const file = join(dir, 'stdout.log');
  const fd = openSync(file, 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], { stdio: ['pipe', fd, 'inherit'] });
  closeSync(fd);
  return { child, output: () => readFileSync(file, 'utf8'), send: (text) => child.stdin?.write(text), exited: exitOf(child) };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise<number | null>((resolve) => child.on('exit', resolve));
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each([
  ['a pipe', (): Logger => pipedLogger()],
  ['a regular file', (): Logger => fileLogger(dir)],
])('batchedStdout into %s', (_destination, logger) => {
  it('delivers a lone line while the process keeps running (far below the 4 KiB a write waits for)', async () => {
    const sut = logger();
    try {
      sut.send('{"msg":"one order"}\n');
      await waitFor('the line on stdout', () => sut.output().includes('one order'));
      expect(sut.output()).toBe('{"msg":"one order"}\n');
    } finally {
      sut.send('exit\n');
      await sut.exited;
    }
  });

  it('writes what is still buffered when the process exits', async () => {
    const sut = logger();
    const lines = Array.from({ length: 50 }, (_, i) => `{"line":${i}}`);
    // One chunk: the lines and the exit are read in the same tick, before any timed flush.
    sut.send(`${lines.join('\n')}\nexit\n`);
    expect(await sut.exited).toBe(0);
    expect(sut.output()).toBe(`${lines.join('\n')}\n`);
  });

  it('writes lines past the 4 KiB batch whole and in order', async () => {
    const sut = logger();
    const lines = Array.from({ length: 2000 }, (_, i) => `{"line":${i},"msg":"order ${i}"}`);
    try {
      sut.send(`${lines.join('\n')}\n`);
      await waitFor('every line on stdout', () => sut.output().length === `${lines.join('\n')}\n`.length);
      expect(sut.output()).toBe(`${lines.join('\n')}\n`);
    } finally {
      sut.send('exit\n');
      await sut.exited;
    }
  });
});

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'batched-stdout-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
