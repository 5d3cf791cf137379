import Redis from 'ioredis';
import { LocalCluster } from '@app/cluster';
import { StrategyName } from '@app/contracts';
import { checkHistory, monotonicMs, readHistories } from '@app/history';
import { countDuplicates } from '@app/order-numbers';
import { LoadRunOutcome, runLoad } from '../load-run';
import { SILENT_PROGRESS } from '../progress';
import { TIMEOUT_KEY } from '../response-tally';
import { FAULT_HOLD_MS, FaultDriver, FaultId, sleep, TARGET_REPLICA } from './fault-driver';
import { FaultResult } from './fault-result';
import { RecoveryWatch } from './recovery-watch';

export interface FaultCellSpec {
  strategy: StrategyName;
  fault: FaultId;
  fencing: boolean;
  cluster: LocalCluster;
  driver: FaultDriver;
  historyDir: string;
  connections: number;
  businessIds: readonly number[];
}

const WARMUP_REQUESTS = 200;
/** The measured run should last the fault's lead, the fault and this much after it, at the calm rate. */
const RUN_PLAN_MS = 1000 + FAULT_HOLD_MS + 3000;
const MIN_REQUESTS = 600;
const MAX_REQUESTS = 30_000;
/** How long after the fault the load goes on, in small rounds, waiting for the target to serve again. */
const RECOVERY_WAIT_MS = 30_000;
/** A request unanswered this long is hung: every one has a deadline far below it in the replica. */
const CLIENT_TIMEOUT_S = 20;
/** Lets a write still held or queued at the end of the run land inside this cell's window. */
const SETTLE_MS = 500;
/**
 * Each business line's mark is set this far ahead before the run (as test/uniqueness/pause.test.ts
 * does), so every number is "that millisecond, next sequence": a mark rolled back by a stale
 * write is then issued again, instead of hiding behind a fresh millisecond by luck of timing.
 */
const SEED_AHEAD_MS = 10 * 60_000;

/**
 * Whether `strategy` issues from the Redis ledger's marks. Snowflake and db-segment have number
 * families of their own that start above the ledger mark (DESIGN §2's hand-over): a mark seeded
 * ten minutes ahead would only make them wait ten minutes for their clock.
 */
export function issuesFromLedger(strategy: StrategyName): boolean {
  return strategy !== 'snowflake' && strategy !== 'db-segment';
}

/**
 * One cell: marks seeded ahead (for the ledger's strategies), a warm-up that sets the run's length, then the load through the
 * gateway while the driver injects the fault, and the history checker over what the replicas
 * issued in the cell's window (the warm-up included, whose numbers the client received too).
 */
export async function runFaultCell(spec: FaultCellSpec): Promise<FaultResult> {
  if (spec.driver.seedsMarksAhead && issuesFromLedger(spec.strategy)) {
    await seedMarksAhead((await spec.cluster.redisPrimary()).port, spec.businessIds);
  }
  const fromMono = monotonicMs();
  const load = { url: spec.cluster.gatewayUrl, path: '/orders' as const, connections: spec.connections, businessIds: spec.businessIds };
  const mode = { successStatus: 201, collectOrders: true };
  const warmup = await runLoad({ ...load, mode, label: 'warm-up', amount: WARMUP_REQUESTS }, SILENT_PROGRESS);
  const amount = Math.round(Math.min(MAX_REQUESTS, Math.max(MIN_REQUESTS, (warmup.successPerSec * RUN_PLAN_MS) / 1000)));
  const recovery = new RecoveryWatch(TARGET_REPLICA, spec.businessIds);
  const label = `${spec.strategy} × ${spec.fault}`;
  const onAnswer = (status: number, body: string) => recovery.answer(status, body);
  const measured = { ...load, mode, timeoutSec: CLIENT_TIMEOUT_S, onAnswer };
  const injected = spec.driver.inject(spec.cluster, spec.strategy);
  injected.catch(() => undefined); // awaited below, once the load is done; this only keeps it from counting as unhandled
  const runs: LoadRunOutcome[] = [await runLoad({ ...measured, label, amount }, SILENT_PROGRESS)];
  const window = await injected;
  // A restart can outlast the planned run: small rounds follow until the target has served after
  // the fault, or RECOVERY_WAIT_MS has passed, so the recovery is measured rather than cut off.
  while (recovery.since(window.endedAt) === null && Date.now() < window.endedAt + RECOVERY_WAIT_MS) {
    runs.push(await runLoad({ ...measured, label: `${label} (until it recovers)`, amount: spec.connections * 4 }, SILENT_PROGRESS));
  }
  const [run] = runs;
  const errorsByStatus = sumCounts(runs.map((round) => round.errorsByStatus));
  await sleep(SETTLE_MS);
  const history = await readHistories(spec.historyDir);
  const strategies: readonly string[] = spec.driver.issuedUnder?.(spec.strategy) ?? [spec.strategy];
  const records = history.records.filter((record) => record.issuedMono >= fromMono && strategies.includes(record.strategy));
  const delivered = [...warmup.orderNumbers, ...runs.flatMap((round) => round.orderNumbers)];
  const check = checkHistory(records, delivered, { sequential: (record) => record.strategy !== 'snowflake' });
  return {
    strategy: spec.strategy,
    fault: spec.fault,
    fencing: spec.fencing,
    orders: runs.reduce((sum, round) => sum + round.successes, 0),
    duplicates: countDuplicates(delivered).duplicates,
    errorsByStatus,
    hung: errorsByStatus[TIMEOUT_KEY] ?? 0,
    // Of the main run, which spans the fault; the rounds after it only wait for the target.
    p50: run.latencyMs.p50,
    p99: run.latencyMs.p99,
    recoverMs: recovery.since(window.endedAt),
    checker: check,
    requests: runs.reduce((sum, round) => sum + round.requestsSent, 0),
    durationMs: Math.round(runs.reduce((sum, round) => sum + round.durationMs, 0)),
    note: `${window.note}; ${accountingNote(runs)}`,
  };
}

function sumCounts(counts: ReadonlyArray<Record<string, number>>): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const count of counts) for (const [key, value] of Object.entries(count)) sum[key] = (sum[key] ?? 0) + value;
  return sum;
}

function accountingNote(runs: readonly LoadRunOutcome[]): string {
  const unaccounted = runs.reduce((sum, round) => sum + round.accounting.unaccounted, 0);
  return unaccounted === 0 ? 'every request accounted for' : `${unaccounted} requests unaccounted`;
}

async function seedMarksAhead(redisPort: number, businessIds: readonly number[]): Promise<void> {
  const redis = new Redis({ host: '127.0.0.1', port: redisPort, lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const ahead = Date.now() + SEED_AHEAD_MS;
    // The replicas' default REDIS_PREFIX: the fault's cluster is started without another.
    await Promise.all(businessIds.map((businessId) => redis.set(`ordernum:ledger:${businessId}`, `${ahead}:0`)));
  } finally {
    redis.disconnect();
  }
}
