import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';

/** A process whose stdout is `batchedStdout()`: every line sent to its stdin is logged. */
function logger(): { child: ChildProcessWithoutNullStreams; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'batched-stdout.fixture.ts')]);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, output: () => output, exited };
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('batchedStdout', () => {
  it('delivers a lone line while the process keeps running (far below the 4 KiB a write waits for)', async () => {
    const sut = logger();
    try {
      sut.child.stdin.write('{"msg":"one order"}\n');
      await waitFor('the line on stdout', () => sut.output().includes('one order'));
      expect(sut.output()).toBe('{"msg":"one order"}\n');
    } finally {
      sut.child.stdin.write('exit\n');
      await sut.exited;
    }
  });

  it('writes what is still buffered when the process exits', async () => {
    const sut = logger();
    const lines = Array.from({ length: 50 }, (_, i) => `{"line":${i}}`);
    // One chunk: the lines and the exit are read in the same tick, before any timed flush.
    sut.child.stdin.write(`${lines.join('\n')}\nexit\n`);
    expect(await sut.exited).toBe(0);
    expect(sut.output()).toBe(`${lines.join('\n')}\n`);
  });
});
