import { setTimeout as delay } from 'node:timers/promises';
import { rowLabel } from './row-label';
import { ClusterCredentials, ClusterState, StrategyName } from '@app/contracts';
import { LoadRunOutcome, runLoad } from './load-run';
import { RunProgress, SILENT_PROGRESS } from './progress';
import { CounterDelta, counterDelta, scrapeLockCounters } from './replica-metrics';
import { CostPerOrder, costPerOrder } from './cost-counters';
import { CostProbe } from './cost-probe';
import { switchStrategy } from './strategy-switch';

export interface LoadShape {
  connections: number;
  requests: number;
  warmupRequests: number;
  businessIds: readonly number[];
}

export interface StrategyMeasurement {
  run: LoadRunOutcome;
  /** The empty handler through the gateway, right before and right after the measured run. */
  baseline: { before: LoadRunOutcome; after: LoadRunOutcome };
  counters: CounterDelta;
  /** Null when the bench was given no probe. */
  cost: CostPerOrder | null;
}

const ORDER_MODE = { successStatus: 201, collectOrders: true } as const;
const BASELINE_MODE = { successStatus: 200, collectOrders: false } as const;

/**
 * Idle time before each half of a row's own baseline: background work a run left behind (a pool
 * topped up again, a segment prefetched) finishes here instead of slowing the empty handler.
 */
const PAIRED_BASELINE_SETTLE_MS = 500;

/**
 * Switch, warm up, measure. The warm-up is not counted: it fills the pre-generated pools, leases
 * snowflake worker IDs and opens the connections, costs no strategy should pay in the comparison.
 * The counters are read right around the measured run, so they describe exactly that run.
 * The empty handler is measured right before and right after it (half the row's requests each):
 * on a shared machine whose speed drifts by a tenth within seconds, a ratio taken against a
 * baseline measured minutes apart says more about the drift than about the strategy; around the
 * row, a linear drift cancels out (the row's ratio is taken against these two, see results.ts).
 * Unless `warmupRequests` is 0, the empty handler is warmed up too, unmeasured, right before its first
 * half. Every run reports to `progress`: warm-up, baseline warm-up, baseline before, row, baseline after.
 */
export async function measureStrategy(
  state: ClusterState,
  strategy: StrategyName,
  shape: LoadShape,
  progress: RunProgress,
  options: { idempotencyKeys?: boolean; probe?: CostProbe; credentials?: ClusterCredentials; lockBatchMax?: number; label?: string } = {},
): Promise<StrategyMeasurement> {
  // Every row sets lockBatchMax: 1 on the unbatched rows, absent (LOCK_BATCH_MAX) on all others.
  await switchStrategy(state, strategy, { credentials: options.credentials, lockBatchMax: options.lockBatchMax ?? null });
  const load = {
    url: state.gateway,
    path: '/orders' as const,
    connections: shape.connections,
    businessIds: shape.businessIds,
    mode: ORDER_MODE,
    idempotencyKeys: options.idempotencyKeys,
  };
  const label = options.label ?? rowLabel(strategy, options.idempotencyKeys === true, options.lockBatchMax);
  const baselineHalf = { ...shape, requests: Math.ceil(shape.requests / 2) };
  if (shape.warmupRequests > 0) {
    await runLoad({ ...load, label: `${label} warm-up`, amount: shape.warmupRequests }, progress);
    // The empty handler's first run after a kind of order traffic the processes had not served
    // before ran 7-81% slower than the same run right after it (the first row of every bench; once
    // seen, the first keyed row too): measured at once, that row's ratio had too low a baseline.
    await runBaselineHalf(state.gateway, `${label} baseline warm-up`, baselineHalf, progress);
  }
  const before = await measurePairedBaselineHalf(state.gateway, `${label} baseline before`, baselineHalf, progress);
  const { probe } = options;
  await probe?.resetPeaks();
  const countersBefore = await scrapeLockCounters(state, strategy);
  const costBefore = await probe?.snapshot();
  const run = await runLoad({ ...load, label, amount: shape.requests }, progress);
  const costAfter = await probe?.snapshot();
  const countersAfter = await scrapeLockCounters(state, strategy);
  const cost = costBefore && costAfter ? costPerOrder(costBefore, costAfter, run.accounting.successes) : null;
  const after = await measurePairedBaselineHalf(state.gateway, `${label} baseline after`, baselineHalf, progress);
  return { run, baseline: { before, after }, counters: counterDelta(countersBefore, countersAfter), cost };
}

async function measurePairedBaselineHalf(url: string, label: string, shape: LoadShape, progress: RunProgress): Promise<LoadRunOutcome> {
  await delay(PAIRED_BASELINE_SETTLE_MS);
  return runBaselineHalf(url, label, shape, progress);
}

function runBaselineHalf(url: string, label: string, shape: LoadShape, progress: RunProgress): Promise<LoadRunOutcome> {
  return runLoad({ ...baselineLoad(url, shape), label, amount: shape.requests }, progress);
}

function baselineLoad(url: string, shape: LoadShape) {
  return { url, path: '/baseline' as const, connections: shape.connections, businessIds: shape.businessIds, mode: BASELINE_MODE };
}

/** The empty handler, the same load: what the stack costs when the strategy costs nothing. */
export async function measureBaseline(url: string, label: string, shape: LoadShape, progress: RunProgress): Promise<LoadRunOutcome> {
  const load = baselineLoad(url, shape);
  // The baselines run first, against a cluster that may have just started: a warm-up as long as
  // the run itself gets the JIT going, or the cold denominator would flatter every ratio.
  const warmup = Math.max(shape.warmupRequests, shape.requests);
  await runLoad({ ...load, label: `${label} warm-up`, amount: warmup }, SILENT_PROGRESS);
  return runLoad({ ...load, label, amount: shape.requests }, progress);
}
