import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchCluster, LocalCluster } from '@app/cluster';
import { freePorts } from '@app/provisioning';
import { FaultGroupOutcome, replicaBasePort, runFaultGroup } from '../../apps/bench/src/faults/fault-group';
import { KillReplicaFault } from '../../apps/bench/src/faults/kill-replica.fault';
import { SigstopFault } from '../../apps/bench/src/faults/sigstop.fault';
import { FAULT_HOLD_MS, TARGET_REPLICA } from '../../apps/bench/src/faults/fault-driver';
import { HoldProxy, isLedgerWrite } from '../../apps/bench/src/faults/hold-proxy';
import { ServerRestartFault } from '../../apps/bench/src/faults/server-restart.fault';
import { readHistories } from '@app/history';
import { MariadbDatabase } from '@app/mariadb';
import { RowDataPacket } from 'mysql2/promise';
import { switchStrategy } from '../../apps/bench/src/strategy-switch';
import { eventually, useBackends } from '../support/backends';

/** Whether the replica answers /status within 300 ms (a stopped process does not). */
async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/status`, { signal: AbortSignal.timeout(300) })).ok;
  } catch {
    return false;
  }
}

async function replicaPid(url: string): Promise<number> {
  return ((await (await fetch(`${url}/status`)).json()) as { pid: number }).pid;
}

describe('the hold proxy between a client and the real Redis', () => {
  const backends = useBackends();

  it('holds a client’s ledger write, and everything after it, until the hold ends, then lands it', async () => {
    const direct = await backends.redis();
    const url = new URL(process.env.TEST_REDIS_URL!);
    const sut = await HoldProxy.start({ host: '127.0.0.1', port: Number(url.port) });
    try {
      const held = await backends.redis(`redis://127.0.0.1:${sut.port}`);
      const key = `hold-${process.pid}:ledger:1001`;
      await direct.set(key, '1764681234567:0');
      const window = new Promise<number>((resolve) =>
        sut.holdOnNext(isLedgerWrite, 1500, (hold) => void hold.then((held) => resolve(held.releasedAt))),
      );
      const write = held.set(key, '1764681234567:1');
      await new Promise((resolve) => setTimeout(resolve, 500));
      // Held: the server has not seen the write; another client reads the old mark.
      expect(await direct.get(key)).toBe('1764681234567:0');
      await write;
      const releasedAt = await window;
      expect(Date.now()).toBeGreaterThanOrEqual(releasedAt);
      expect(await direct.get(key)).toBe('1764681234567:1');
    } finally {
      await sut.close();
    }
  });
});

describe('the process and server faults on a real cluster', () => {
  const backends = useBackends();
  let cluster: LocalCluster | undefined;
  let workDir: string;

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), 'ordernum-faults-'));
    const [gatewayPort, zkPort, redisPort] = await freePorts(3);
    cluster = await launchCluster({
      replicas: 2,
      gatewayPort,
      zkPort,
      redisPort,
      replicaBasePort: replicaBasePort(),
      stateFile: path.join(workDir, 'state.json'),
      dataDir: path.join(workDir, 'data'),
      env: { ORDER_STRATEGY: 'redis', LOG_LEVEL: 'warn' },
    });
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  const target = () => cluster!.state.replicas.find((replica) => replica.id === TARGET_REPLICA)!;
  const orderServed = async (): Promise<boolean> => {
    const response = await fetch(`${cluster!.gatewayUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ businessId: 1001 }),
      signal: AbortSignal.timeout(10_000),
    }).catch(() => undefined);
    return response?.status === 201;
  };

  it('sigstop: the target does not answer while stopped and answers again after', async () => {
    const injected = new SigstopFault().inject(cluster!);
    await new Promise((resolve) => setTimeout(resolve, 1000 + FAULT_HOLD_MS / 2));
    expect(await answers(target().http)).toBe(false);
    const window = await injected;
    expect(window.endedAt - window.startedAt).toBeGreaterThanOrEqual(FAULT_HOLD_MS);
    expect(await answers(target().http)).toBe(true);
  });

  it('kill-replica: the target dies and a new process serves on its port', async () => {
    const before = await replicaPid(target().http);
    const window = await new KillReplicaFault().inject(cluster!);
    expect(window.endedAt).toBeGreaterThanOrEqual(window.startedAt);
    expect(await replicaPid(target().http)).not.toBe(before);
  });

  it('redis-restart: Redis comes back empty (no persistence) on its port, and the cluster issues again', async () => {
    await eventually('an order before the restart', orderServed, 30_000, 200);
    const redis = await backends.redis(cluster!.redis.url);
    expect(await redis.exists('ordernum:ledger:1001')).toBe(1);
    const window = await new ServerRestartFault('redis-restart').inject(cluster!);
    expect(window.endedAt).toBeGreaterThan(window.startedAt);
    expect(await backends.redis(cluster!.redis.url).then((fresh) => fresh.exists('ordernum:ledger:1001'))).toBe(0);
    await eventually('an order after the restart', orderServed, 30_000, 200);
  });

  it('zk-restart: ZooKeeper comes back on its data, and the cluster issues again', async () => {
    const window = await new ServerRestartFault('zk-restart').inject(cluster!);
    expect(window.endedAt).toBeGreaterThan(window.startedAt);
    const session = await backends.zookeeper(cluster!.zookeeper.connectString);
    expect(await session.api().exists('/ordernum')).not.toBeNull();
    await eventually('an order after the restart', orderServed, 30_000, 200);
  });

  it('db-restart: MariaDB comes back on its data (the segment ledger kept), and db-segment issues again', async () => {
    await switchStrategy(cluster!.state, 'db-segment', { deadlineMs: 30_000 });
    await eventually('an order under db-segment before the restart', orderServed, 30_000, 200);
    const allocatedBefore = await segmentEnd(cluster!.mariadb.url);
    expect(allocatedBefore).toBeGreaterThan(0);
    const window = await new ServerRestartFault('db-restart').inject(cluster!);
    expect(window.endedAt).toBeGreaterThan(window.startedAt);
    // Committed before the SIGKILL, so InnoDB brings it back: no segment can be handed out twice.
    expect(await segmentEnd(cluster!.mariadb.url)).toBeGreaterThanOrEqual(allocatedBefore);
    await eventually('an order after the restart', orderServed, 30_000, 200);
  });

  // Last: it stops the cluster. A fault whose server was down when Ctrl-C came starts it again
  // once its down time is over; by then the stop may have passed the servers.
  it('a server a fault starts again after the cluster stopped stays down', async () => {
    const redis = cluster!.redis;
    await cluster!.killServer('Redis', redis);
    await cluster!.stop();
    await expect(cluster!.startServer('Redis', redis)).rejects.toThrow('Redis not started: the cluster is stopping');
    expect(redis.running).toBe(false);
  });
});

/** The highest segment end of business line 1001, read on a connection of its own. */
async function segmentEnd(url: string): Promise<number> {
  const database = new MariadbDatabase({ url, connectionLimit: 1 });
  try {
    const [rows] = await (await database.ready()).query<RowDataPacket[]>('SELECT max_position FROM segment_ledger WHERE business_id = 1001');
    return Number(rows[0]?.max_position ?? 0);
  } finally {
    await database.close();
  }
}

/**
 * The two faults that overtake a lock holder, end to end: a real cluster, the load, the fault,
 * and the history checker. Without fencing the stale write must show; with it, nothing may.
 */
describe.each(['delayed-write', 'pause'] as const)('%s under the redis lock, on a real cluster', (fault) => {
  let outcome: FaultGroupOutcome;
  let workDir: string;

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), `ordernum-${fault}-`));
    outcome = await runFaultGroup({
      fault,
      cells: [
        { strategy: 'redis', fencing: false },
        { strategy: 'redis', fencing: true },
      ],
      connections: 16,
      businessIds: [1001, 2001],
      workDir,
      log: () => undefined,
    });
  }, 300_000);

  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('measures both cells, and the checker agrees with the client in each', () => {
    expect(outcome.failures).toEqual([]);
    expect(outcome.results).toHaveLength(2);
    for (const cell of outcome.results) {
      expect(cell.checker.deliveredDuplicates).toBe(cell.duplicates);
      expect(cell.checker.deliveredUnrecorded).toBe(0);
      expect(cell.hung).toBe(0);
    }
  });

  it('without fencing, the stale write is issued again: duplicates and overlapping leases', () => {
    const cell = outcome.results.find((result) => !result.fencing)!;
    expect(cell.checker.issuedDuplicates).toBeGreaterThanOrEqual(1);
    expect(cell.checker.overlaps).toBeGreaterThanOrEqual(1);
  });

  // Leases may still overlap with fencing on: a holder frozen after its write landed but before it
  // let go believed it held the lock past its TTL. Fencing makes that harmless; it cannot prevent it.
  it('with fencing, no duplicate is issued, and the target issues again after the fault', () => {
    const cell = outcome.results.find((result) => result.fencing)!;
    expect(cell.checker.issuedDuplicates).toBe(0);
    expect(cell.recoverMs).not.toBeNull();
  });
});

describe('clock-ahead on a real cluster', () => {
  let outcome: FaultGroupOutcome;
  let workDir: string;

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), 'ordernum-clock-'));
    outcome = await runFaultGroup({
      fault: 'clock-ahead',
      cells: [{ strategy: 'redis', fencing: true }],
      connections: 8,
      businessIds: [1001],
      workDir,
      log: () => undefined,
    });
  }, 300_000);

  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it("the target's wall clock really runs ahead of the others' (the histories' wall against the shared monotonic clock)", async () => {
    expect(outcome.failures).toEqual([]);
    const { records } = await readHistories(path.join(workDir, 'data', 'history'));
    const offset = (replica: string): number => {
      const own = records.filter((record) => record.replica === replica).map((record) => record.issuedWall - record.issuedMono);
      return own.sort((a, b) => a - b)[Math.floor(own.length / 2)];
    };
    // 600 ms of skew, measured on a loaded machine: well clear of 0, well short of a second.
    expect(offset(TARGET_REPLICA) - offset('order-2')).toBeGreaterThan(300);
    expect(offset(TARGET_REPLICA) - offset('order-2')).toBeLessThan(900);
  });

  it('the skewed replica issues, and nothing repeats', () => {
    const [cell] = outcome.results;
    expect(cell.recoverMs).not.toBeNull();
    expect(cell.checker.issuedDuplicates).toBe(0);
    expect(cell.checker.deliveredDuplicates).toBe(cell.duplicates);
  });
});
