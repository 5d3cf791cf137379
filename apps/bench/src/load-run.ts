import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { Accounting, checkAccounting } from './accounting';
import { RunProgress } from './progress';
import { ResponseTally, TallyMode } from './response-tally';

export interface LoadRunSpec {
  label: string;
  /** Base URL (`http://host:port`); `path` is appended. */
  url: string;
  path: '/orders' | '/baseline';
  connections: number;
  amount: number;
  /** Rotated over the requests, so every business line (and its lock) takes load. */
  businessIds: readonly number[];
  mode: TallyMode;
  timeoutSec?: number;
  /** Send every request with its own `Idempotency-Key`, to measure what the guarantee costs. */
  idempotencyKeys?: boolean;
  /** Sees every counted answer as it arrives (the faults run times the target replica's recovery by it). */
  onAnswer?: (status: number, body: string) => void;
}

export interface LoadRunOutcome {
  label: string;
  requestsSent: number;
  successes: number;
  orderNumbers: string[];
  errorsByStatus: Record<string, number>;
  durationMs: number;
  /** Completed requests (successes and error answers) per second of wall clock. */
  reqPerSec: number;
  /** Successes per second: the useful work the ratios are taken from. */
  successPerSec: number;
  /** Of the successful responses (autocannon records 2xx latencies only). */
  latencyMs: { p50: number; p99: number };
  accounting: Accounting;
  /** autocannon's own count of requests written, cross-checked against `amount`. */
  autocannonSent: number;
}

const SAMPLE_INTERVAL_MS = 100;

/** Typed failure of the load tool itself (a bad option, a setup error), not of the server. */
export class LoadRunError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LoadRunError';
  }
}

/**
 * One autocannon run in `amount` mode: in `duration` mode the requests in flight at the end are
 * served but never reported, which would break the exact accounting. No `workers`: the
 * `onResponse` hook must run in this process to collect the bodies.
 */
export function runLoad(spec: LoadRunSpec, progress: RunProgress): Promise<LoadRunOutcome> {
  const tally = new ResponseTally(spec.mode);
  const connections = Math.min(spec.connections, spec.amount);
  let next = 0;
  // Unique across runs and processes: a key reused from an earlier run would be replayed, not issued.
  const keyPrefix = `bench-${process.pid}-${Date.now()}-`;
  const started = performance.now();
  // autocannon notices the end only at its next sample tick, so its own duration is rounded up
  // to the tick; the last completion's time is the real end of the run.
  let finished = started;
  const completed = (): void => {
    finished = performance.now();
    progress.advance();
  };
  progress.start(spec.label, spec.amount);
  return new Promise<LoadRunOutcome>((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections,
        amount: spec.amount,
        timeout: spec.timeoutSec ?? 10,
        // Short ticks end the run soon after its last response (the default waits up to 1 s).
        sampleInt: SAMPLE_INTERVAL_MS,
        requests: [
          {
            method: 'POST',
            path: spec.path,
            headers: { 'content-type': 'application/json' },
            setupRequest: (request) => {
              const businessId = spec.businessIds[next % spec.businessIds.length];
              next += 1;
              const headers = spec.idempotencyKeys ? { ...request.headers, 'idempotency-key': `${keyPrefix}${next}` } : request.headers;
              return { ...request, headers, body: JSON.stringify({ businessId }) };
            },
            onResponse: (status, body) => {
              tally.record(status, body);
              spec.onAnswer?.(status, body);
              completed();
            },
          },
        ],
      },
      (error: Error | null, result) => {
        progress.stop();
        if (error) {
          reject(new LoadRunError(`${spec.label}: autocannon failed: ${error.message}`, { cause: error }));
          return;
        }
        const durationMs = Math.max(1, finished - started);
        tally.recordTransportErrors(result.errors, result.timeouts);
        const errorsByStatus = tally.errorsByStatus;
        const seconds = durationMs / 1000;
        resolve({
          label: spec.label,
          requestsSent: spec.amount,
          successes: tally.successes,
          orderNumbers: tally.orderNumbers,
          errorsByStatus,
          durationMs,
          reqPerSec: tally.responses / seconds,
          successPerSec: tally.successes / seconds,
          latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
          accounting: checkAccounting(spec.amount, tally.successes, errorsByStatus),
          autocannonSent: result.requests.sent,
        });
      },
    );
    instance.on('reqError', completed);
  });
}
