import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FaultCell, FaultGroupOutcome, runFaultGroup } from '../../apps/bench/src/faults/fault-group';
import { StrategyName } from '@app/contracts';
import { FaultId } from '../../apps/bench/src/faults/fault-driver';

/**
 * What an operator does to a running cluster, and servers dying, end to end under load: a hot
 * switch to another number family and back, the lock deleted three times whoever holds it, what a
 * strategy keeps besides its lock deleted or rewritten three times, the ZooKeeper leader killed,
 * Redis killed and restarted on its append-only file. A real cluster, the fault's driver and the
 * history checker; with fencing on nothing may be issued twice, the checker must agree with the
 * client, and the target must issue again.
 */
describe.each<[FaultId, FaultCell[]]>([
  ['switch', [{ strategy: 'redis', fencing: true }, { strategy: 'snowflake', fencing: true }]],
  ['delete-lock', [{ strategy: 'zookeeper', fencing: true }, { strategy: 'redis', fencing: true }, { strategy: 'db-lock', fencing: true }]],
  [
    'edit-state',
    ['zookeeper-ephemeral', 'snowflake', 'db-lock', 'db-segment'].map((strategy) => ({ strategy: strategy as StrategyName, fencing: true })),
  ],
  ['zk-leader', [{ strategy: 'zookeeper', fencing: true }, { strategy: 'snowflake', fencing: true }]],
  ['redis-restart-aof', [{ strategy: 'redis', fencing: true }, { strategy: 'redis-pregen', fencing: true }]],
])('%s on a real cluster', (fault, cells) => {
  let outcome: FaultGroupOutcome;
  let workDir: string;

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), `ordernum-${fault}-`));
    outcome = await runFaultGroup({ fault, cells, connections: 16, businessIds: [1001, 2001], workDir, log: () => undefined });
  }, 300_000);

  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('measures every cell; none issues a number twice, and the checker agrees with the client', () => {
    expect(outcome.failures).toEqual([]);
    expect(outcome.results.map((cell) => cell.strategy).sort()).toEqual(cells.map((cell) => cell.strategy).sort());
    for (const cell of outcome.results) {
      expect(cell.orders).toBeGreaterThan(0);
      expect(cell.checker.issuedDuplicates).toBe(0);
      expect(cell.checker.deliveredDuplicates).toBe(cell.duplicates);
      // Every number delivered was recorded, also those issued under the switch's other strategy.
      expect(cell.checker.deliveredUnrecorded).toBe(0);
      expect(cell.hung).toBe(0);
    }
  });

  it('answers no 500 (a deleted lock or table heals, a switch waits for its epoch, a moved session goes on), and the target issues again on every line', () => {
    for (const cell of outcome.results) {
      expect(cell.errorsByStatus['500'] ?? 0).toBe(0);
      expect(cell.recoverMs).not.toBeNull();
    }
  });
});

/**
 * The Redis primary killed behind Sentinels, its replica 100 ms behind, with the mitigation on
 * (REDIS_WAIT_REPLICAS=1). A number whose WAIT the crash cut off was issued but never answered,
 * and may be issued again: only delivered duplicates would break the promise.
 */
describe('redis-failover-wait on a real cluster', () => {
  const cells: FaultCell[] = [{ strategy: 'redis', fencing: true }, { strategy: 'zookeeper', fencing: true }];
  let outcome: FaultGroupOutcome;
  let workDir: string;

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), 'ordernum-redis-failover-wait-'));
    outcome = await runFaultGroup({ fault: 'redis-failover-wait', cells, connections: 16, businessIds: [1001, 2001], workDir, log: () => undefined });
  }, 300_000);

  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('fails over in every cell, and the replicas follow the Sentinels to the new primary', () => {
    expect(outcome.failures).toEqual([]);
    expect(outcome.results.map((cell) => cell.strategy).sort()).toEqual(['redis', 'zookeeper']);
    for (const cell of outcome.results) {
      expect(cell.note).toMatch(/SIGKILLed; the Sentinels promoted 127\.0\.0\.1:\d+ \d+ ms later/);
      expect(cell.orders).toBeGreaterThan(0);
      expect(cell.recoverMs).not.toBeNull();
      expect(cell.hung).toBe(0);
      expect(cell.errorsByStatus['500'] ?? 0).toBe(0);
    }
  });

  it('delivers no number twice, and the checker agrees with the client', () => {
    for (const cell of outcome.results) {
      expect(cell.duplicates).toBe(0);
      expect(cell.checker.deliveredDuplicates).toBe(0);
      expect(cell.checker.deliveredUnrecorded).toBe(0);
    }
  });
});
