import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '@app/cluster';
import { eventually } from '../support/backends';

/**
 * The live processes of a process group (the command's, and every server and replica it started),
 * `pid state command`. Not the zombies: a process that has exited after its parent, waiting for
 * init to reap it (which this container's init does late), runs nothing.
 */
function groupMembers(pgid: number): string[] {
  try {
    return execFileSync('ps', ['-o', 'pid=,stat=,args=', '-g', String(pgid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0 && !/^\d+ Z/.test(line));
  } catch {
    return []; // ps exits 1 when the group has no process left
  }
}

interface FaultClusterState {
  replicas: { id: string; pid: number | null }[];
  servers: { role: string; pid: number | null }[];
}

/** A fault's cluster's state file, once the launcher has written it (it does once the whole cluster is up). */
function clusterState(workDir: string, fault: string): FaultClusterState | undefined {
  try {
    return JSON.parse(readFileSync(path.join(workDir, '.cluster', 'faults', fault, 'state.json'), 'utf8')) as FaultClusterState;
  } catch {
    return undefined; // not written yet, or being written
  }
}

/**
 * An operator's Ctrl-C of `npm run faults` (here SIGINT to the command alone, as a supervisor's
 * SIGTERM would be) while a fault's cluster runs: the command stops that cluster (ZooKeeper,
 * Redis, MariaDB, replicas, gateway) before it exits. It used to exit at once and leave all of
 * them running; and a replica or server the fault was restarting at that moment outlived the stop.
 */
describe('npm run faults, interrupted', () => {
  const workDirs: string[] = [];
  afterAll(() => workDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it.each<[string, string, string, (state: FaultClusterState | undefined) => boolean]>([
    ['once the cluster is up', 'kill-replica', 'none', (state) => state !== undefined],
    // killReplica writes the state with no pid for order-1; startReplica is then under way.
    ['while the fault restarts the replica it killed', 'kill-replica', 'none', (state) => state?.replicas.find((replica) => replica.id === 'order-1')?.pid === null],
    // killServer writes the state with no pid for Redis: the stop finds one server dead. (A server
    // the fault starts again after the stop: fault-drivers.test.ts.)
    ['while the fault restarts the server it killed', 'redis-restart', 'redis', (state) => state?.servers.find((server) => server.role === 'redis')?.pid === null],
  ])('%s (%s, %s): stops every process it started and exits 130', async (_when, fault, strategy, interruptWhen) => {
    const workDir = mkdtempSync(path.join(tmpdir(), 'ordernum-faults-interrupt-'));
    workDirs.push(workDir);
    const logFile = path.join(workDir, 'faults.log');
    // Its own process group, so that whatever it started can be found after it has gone.
    const command = spawn(process.execPath, [path.join(REPO_ROOT, 'scripts', 'run-app.js'), 'bench', 'faults', '--faults', fault, '--strategies', strategy, '--out', 'out'], {
      cwd: workDir,
      detached: true,
      stdio: ['ignore', openSync(logFile, 'w'), openSync(logFile, 'a')],
    });
    const exited = new Promise<number | null>((resolve) => command.once('exit', (code) => resolve(code)));
    const pgid = command.pid as number;
    try {
      await eventually('the moment to interrupt', () => interruptWhen(clusterState(workDir, fault)), 120_000, 20);
      expect(groupMembers(pgid).length).toBeGreaterThan(5);
      command.kill('SIGINT');
      const code = await exited;
      const left = groupMembers(pgid);
      // What the command said, should anything be left: the reason is in its last lines.
      const said = left.length > 0 ? readFileSync(logFile, 'utf8').split('\n').slice(-15) : [];
      expect({ code, left, said }).toEqual({ code: 130, left: [], said: [] });
    } finally {
      // Whatever is left, if the test failed: nothing of it may outlive the test.
      for (const member of groupMembers(pgid)) process.kill(Number(member.split(' ')[0]), 'SIGKILL');
    }
  }, 180_000);
});
