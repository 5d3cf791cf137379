import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PortInUseError, ServiceStartError } from './errors';
import { ManagedProcess } from './managed-process';

async function waitFor(what: string, condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** The scheduler state of a process (`S` sleeping, `T` stopped, ...), from /proc/<pid>/stat. */
function schedulerState(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.charAt(stat.lastIndexOf(')') + 2);
}

describe('ManagedProcess', () => {
  let dir: string;
  const launched: ManagedProcess[] = [];
  const launch = (script: string): ManagedProcess => {
    const sut = ManagedProcess.launch({ service: 'fake', command: 'sh', args: ['-c', script], logFile: join(dir, 'fake.log') });
    launched.push(sut);
    return sut;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'managed-process-'));
  });
  afterEach(async () => {
    await Promise.all(launched.splice(0).map((process) => process.kill()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails fast when the process exits early, quoting its log', async () => {
    const sut = launch('echo "java.lang.OutOfMemoryError: boom"; exit 3');
    const error = await sut.waitReady({ timeoutMs: 5000, port: 1, probe: async () => false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceStartError);
    expect(error).toMatchObject({ failure: 'exited', service: 'fake' });
    expect((error as ServiceStartError).logTail).toContain('OutOfMemoryError: boom');
    expect((error as Error).message).toContain('code 3');
  });

  it('turns "Address already in use" in the log into PortInUseError and kills the process', async () => {
    const sut = launch('echo "Could not create server TCP listening socket 127.0.0.1:4242: bind: Address already in use"; exec sleep 30');
    const error = await sut.waitReady({ timeoutMs: 5000, port: 1, probe: async () => false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortInUseError);
    expect(error).toMatchObject({ port: 4242 });
    expect(sut.running).toBe(false);
  });

  it('quotes the causes of a rejected configuration written after its first line', async () => {
    const sut = launch(
      'echo "QuorumPeerConfig\\$ConfigException: Error processing zoo.cfg"; sleep 0.5; ' +
        'echo "Caused by: java.lang.NumberFormatException: For input string: abc"; exit 2',
    );
    const error = await sut.waitReady({ timeoutMs: 5000, port: 1, probe: async () => false }).catch((e: unknown) => e);
    expect(error).toMatchObject({ failure: 'config' });
    expect((error as Error).message).toMatch(/ConfigException: Error processing zoo\.cfg \/ Caused by: .*For input string: abc/);
    expect(sut.running).toBe(false);
  });

  it('kills a server that rejected its configuration but does not exit', async () => {
    const sut = launch('echo "QuorumPeerConfig\\$ConfigException: Error processing zoo.cfg"; exec sleep 30');
    const error = await sut.waitReady({ timeoutMs: 20_000, port: 1, probe: async () => false }).catch((e: unknown) => e);
    expect(error).toMatchObject({ failure: 'config' });
    expect((error as Error).message).toContain('Error processing zoo.cfg');
    expect(sut.running).toBe(false);
  });

  it('ignores what an earlier run wrote to the same log', async () => {
    await launch('echo "bind: Address already in use"').exited;
    const sut = launch('exec sleep 30');
    await expect(sut.waitReady({ timeoutMs: 2000, port: 1, probe: async () => true })).resolves.toBeUndefined();
  });

  it('gives up at the deadline, kills the process and says so', async () => {
    const sut = launch('exec sleep 30');
    const started = Date.now();
    const error = await sut.waitReady({ timeoutMs: 200, port: 1, probe: async () => false }).catch((e: unknown) => e);
    expect(error).toMatchObject({ failure: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(sut.running).toBe(false);
  });

  it('escalates to SIGKILL when SIGTERM is ignored', async () => {
    const sut = launch('trap "" TERM; echo trapped; exec sleep 30');
    await sut.waitReady({ timeoutMs: 2000, port: 1, probe: async () => sut.logTail().includes('trapped') });
    await expect(sut.stop(200)).resolves.toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('stops a paused process with SIGTERM', async () => {
    const sut = launch('exec sleep 30');
    sut.pause();
    await expect(sut.stop(5000)).resolves.toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('pause() returns once the process has stopped, not merely been signalled', async () => {
    const sut = launch('exec sleep 30');
    for (let round = 0; round < 20; round += 1) {
      sut.pause();
      expect(schedulerState(sut.pid!)).toBe('T');
      sut.resume();
      await waitFor('the process to run again', () => schedulerState(sut.pid!) !== 'T');
    }
  });
});
