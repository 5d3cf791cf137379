import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchCluster, LocalCluster } from '@app/cluster';
import { freePorts } from '@app/provisioning';
import { RunProgress } from '../apps/bench/src/progress';
import { BenchOutcome, runBench } from '../apps/bench/src/run-bench';
import { ordersFileName } from '../apps/bench/src/write-outputs';

/**
 * The bench end to end: a real cluster (ZooKeeper, Redis, replicas, gateway), two strategies,
 * a short load. It checks what the bench reports, never how fast anything was.
 */
describe('bench against a local cluster', () => {
  let cluster: LocalCluster | undefined;
  let outDir: string;
  let outcome: BenchOutcome;
  // Every load run the bench started, in order: its label and how many requests it planned.
  const runs: string[] = [];
  const recordRuns: RunProgress = { start: (label, total) => runs.push(`${label}: ${total}`), advance: () => undefined, stop: () => undefined };

  beforeAll(async () => {
    outDir = mkdtempSync(path.join(tmpdir(), 'ordernum-bench-'));
    // Ports of its own, so that a cluster someone runs on the defaults is left alone.
    const [gatewayPort, zkPort, redisPort] = await freePorts(3);
    cluster = await launchCluster({
      replicas: 2,
      gatewayPort,
      zkPort,
      redisPort,
      replicaBasePort: 23101 + (process.pid % 500) * 4,
      stateFile: path.join(outDir, 'state.json'),
      dataDir: path.join(outDir, 'data'),
    });
    outcome = await runBench(cluster.state, {
      strategies: ['none', 'zookeeper', 'redis'],
      connections: 16,
      requests: 300,
      warmupRequests: 50,
      outDir,
      backendSampleMs: 300,
      progress: recordRuns,
      log: () => undefined,
    });
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('writes results.json in the documented shape', () => {
    const results = JSON.parse(readFileSync(path.join(outDir, 'results.json'), 'utf8')) as Record<string, unknown>;

    expect(results).toMatchObject({ baseline: { reqPerSec: expect.any(Number) } });
    // redis stands for the locked ledger family and is measured again with an Idempotency-Key per
    // request; the locks are measured again with one lock per order (no group commit).
    type Row = { strategy: string; idempotencyKeys: boolean; lockBatchMax?: number };
    const rows = (results.strategies as Row[]).map((s) => [s.strategy, s.idempotencyKeys, s.lockBatchMax ?? null]);
    expect(rows).toEqual([
      ['none', false, null],
      ['zookeeper', false, null],
      ['redis', false, null],
      ['redis', true, null],
      ['zookeeper', false, 1],
      ['redis', false, 1],
    ]);
    expect(readFileSync(path.join(outDir, 'orders-redis-unbatched.txt'), 'utf8').trim().split('\n').length).toBeGreaterThan(0);
    expect(readFileSync(path.join(outDir, 'orders-redis+keys.txt'), 'utf8').trim().split('\n').length).toBeGreaterThan(0);
    for (const strategy of results.strategies as unknown[]) {
      expect(strategy).toMatchObject({
        strategy: expect.any(String),
        orders: expect.any(Number),
        duplicates: expect.any(Number),
        duplicateRate: expect.any(Number),
        reqPerSec: expect.any(Number),
        latencyMs: { p50: expect.any(Number), p99: expect.any(Number) },
        errors: expect.any(Number),
      });
    }
    expect(readFileSync(path.join(outDir, 'report.html'), 'utf8')).toContain('<svg');
  });

  it('takes every row\'s ratio against the empty handler measured right before and right after it', () => {
    type Half = { requests: number; reqPerSec: number; accounting: { ok: boolean } };
    type Row = {
      ordersPerSec: number;
      ratioToBaseline: number;
      ratioByHalf: { before: number; after: number };
      pairedBaseline: { reqPerSec: number; before: Half; after: Half };
    };
    const results = JSON.parse(readFileSync(path.join(outDir, 'results.json'), 'utf8')) as { strategies: Row[] };

    for (const row of results.strategies) {
      expect(row.pairedBaseline.before).toMatchObject({ requests: 150, accounting: { ok: true } });
      expect(row.pairedBaseline.after).toMatchObject({ requests: 150, accounting: { ok: true } });
      expect(row.pairedBaseline.reqPerSec).toBeGreaterThan(0);
      expect(row.ratioToBaseline).toBeCloseTo(row.ordersPerSec / row.pairedBaseline.reqPerSec, 9);
      expect(row.ratioByHalf.before).toBeCloseTo(row.ordersPerSec / row.pairedBaseline.before.reqPerSec, 9);
      expect(row.ratioByHalf.after).toBeCloseTo(row.ordersPerSec / row.pairedBaseline.after.reqPerSec, 9);
      // The paired ratio lies between the two: its denominator is the halves taken as one run.
      const [low, high] = [row.ratioByHalf.before, row.ratioByHalf.after].sort((a, b) => a - b);
      expect(row.ratioToBaseline).toBeGreaterThanOrEqual(low - 1e-9);
      expect(row.ratioToBaseline).toBeLessThanOrEqual(high + 1e-9);
    }
  });

  it('warms the empty handler up, unmeasured, before the half measured before each row', () => {
    const rowRuns = (label: string) => runs.filter((run) => run.startsWith(`${label} `) || run.startsWith(`${label}:`));

    for (const label of ['none', 'zookeeper', 'redis', 'redis+keys', 'zookeeper-unbatched', 'redis-unbatched']) {
      expect(rowRuns(label)).toEqual([
        `${label} warm-up: 50`,
        `${label} baseline warm-up: 150`,
        `${label} baseline before: 150`,
        `${label}: 300`,
        `${label} baseline after: 150`,
      ]);
    }
  });

  it('runs the first row once unmeasured, after the session baselines and before every measured row', () => {
    const unmeasured = runs.filter((run) => run.startsWith('unmeasured none'));
    expect(unmeasured).toEqual([
      'unmeasured none warm-up: 50',
      'unmeasured none baseline warm-up: 150',
      'unmeasured none baseline before: 150',
      'unmeasured none: 300',
      'unmeasured none baseline after: 150',
    ]);
    expect(runs.indexOf('unmeasured none: 300')).toBeGreaterThan(runs.indexOf('baseline (gateway): 300'));
    expect(runs.indexOf('unmeasured none baseline after: 150')).toBeLessThan(runs.indexOf('none warm-up: 50'));
  });

  it('accounts for every request of every run', () => {
    for (const strategy of outcome.results.strategies) {
      expect(strategy.accounting).toMatchObject({ requestsSent: 300, unaccounted: 0, ok: true });
      expect(strategy.orders + strategy.errors).toBe(300);
    }
  });

  it('measures the redis row with keys on: every request issued (no replay), no duplicate', () => {
    const keyed = outcome.results.strategies.find((s) => s.strategy === 'redis' && s.idempotencyKeys);
    expect(keyed).toMatchObject({ duplicates: 0, errors: 0, orders: 300 });
  });

  it('finds no duplicate under the ZooKeeper lock', () => {
    const zookeeper = outcome.results.strategies.find((s) => s.strategy === 'zookeeper');

    expect(zookeeper?.duplicates).toBe(0);
    expect(zookeeper?.orders).toBeGreaterThan(0);
  });

  it("counts none's duplicates as an independent recount of its saved order numbers does", () => {
    const numbers = readFileSync(path.join(outDir, ordersFileName('none')), 'utf8').split('\n').filter((line) => line !== '');
    const recount = numbers.length - new Set(numbers).size;
    const none = outcome.results.strategies.find((s) => s.strategy === 'none');

    expect(numbers.length).toBe(none?.orders);
    expect(none?.duplicates).toBe(recount);
  });

  // Plausibility of the cost columns on real servers: each lock shows its own backend's work per order.
  // The one-lock-per-order rows: under group commit a batch shares one acquisition.
  it('costs the ZooKeeper lock at least one ZooKeeper write and read per order, and the Redis lock at least one script per order', () => {
    const cost = (strategy: string) =>
      outcome.results.strategies.find((s) => s.strategy === strategy && !s.idempotencyKeys && (strategy === 'none' || s.lockBatchMax === 1))
        ?.cost;
    const zookeeper = cost('zookeeper');
    expect(zookeeper?.zookeeperWrites).toBeGreaterThanOrEqual(1); // create + delete of the lock node
    expect(zookeeper?.zookeeperReads).toBeGreaterThanOrEqual(1); // getChildren
    expect(zookeeper?.redisScripts).toBeGreaterThanOrEqual(1); // the fenced ledger read and write
    const redis = cost('redis');
    expect(redis?.redisScripts).toBeGreaterThanOrEqual(1); // the acquire script, the ledger scripts, the release
    expect(redis?.redisCommands).toBeGreaterThanOrEqual(1); // what those scripts run (SET NX, INCR, GET, ...)
    expect(redis?.zookeeperWrites).toBeLessThan(0.5); // only background work (clock probes)
    const none = cost('none');
    expect(none?.zookeeperWrites).toBeLessThan(0.5);
  });

  it('reads CPU and peak RSS of every replica and the gateway', () => {
    const cost = outcome.results.strategies.find((s) => s.strategy === 'redis')?.cost;
    expect(cost?.processes.map((p) => p.name).sort()).toEqual(['gateway', 'replica order-1', 'replica order-2']);
    expect(cost?.cpuSecondsPer1000).toBeGreaterThan(0);
    for (const process of cost?.processes ?? []) expect(process.peakRssBytes).toBeGreaterThan(10 * 2 ** 20);
  });

  it("reads the CPU of the cluster's servers and of the load generator, and the cores the run kept busy", () => {
    const cost = outcome.results.strategies.find((s) => s.strategy === 'zookeeper' && s.lockBatchMax === 1)?.cost;
    expect(Object.keys(cost?.serverCpuSecondsPer1000 ?? {}).sort()).toEqual(['mariadb', 'redis', 'zookeeper']);
    for (const cpu of Object.values(cost?.serverCpuSecondsPer1000 ?? {})) expect(cpu).toEqual(expect.any(Number));
    // One lock per order: about six requests to ZooKeeper per order, two of them written to its log.
    expect(cost?.serverCpuSecondsPer1000.zookeeper).toBeGreaterThan(0);
    expect(cost?.loadGeneratorCpuSecondsPer1000).toBeGreaterThan(0);
    expect(cost?.coresBusy).toBeGreaterThan(0);
  });
});
