/** How long an acquisition may wait: its own deadline, the session's loss and the request's signal. */
export interface WaitLimits {
  deadline: number;
  lost: AbortSignal;
  waitMs: number;
  signal?: AbortSignal;
  stage: AcquireStage;
}

/**
 * Where an acquisition stands, for the one who gives up on it: waiting for a holder to release, or
 * waiting for its backend to answer. When the request's deadline cuts it short, the first is a
 * plain timeout and the second names the backend that did not answer (DESIGN §7).
 */
export class AcquireStage {
  waitingForHolder = false;

  /** Marks `wait` as a wait for the holder while it lasts. */
  async holder<T>(wait: Promise<T>): Promise<T> {
    this.waitingForHolder = true;
    try {
      return await wait;
    } finally {
      this.waitingForHolder = false;
    }
  }
}

export type RaceOutcome = 'event' | 'timeout' | 'lost';

/**
 * Races `event` against `deadline` (epoch ms), `lost` and the request's `cancel` signal (which
 * counts as a timeout), and says which came first. It never polls (the cluster scripts'
 * `waitUntil` is the one that re-checks a condition until a timeout).
 */
export function raceDeadline(event: Promise<unknown>, deadline: number, lost?: AbortSignal, cancel?: AbortSignal): Promise<RaceOutcome> {
  if (lost?.aborted) return Promise.resolve('lost');
  if (cancel?.aborted) return Promise.resolve('timeout');
  return new Promise<RaceOutcome>((resolve) => {
    const finish = (outcome: RaceOutcome) => {
      clearTimeout(timer);
      lost?.removeEventListener('abort', onLost);
      cancel?.removeEventListener('abort', onCancel);
      resolve(outcome);
    };
    const onLost = () => finish('lost');
    const onCancel = () => finish('timeout');
    const timer = setTimeout(() => finish('timeout'), Math.max(0, deadline - Date.now()));
    lost?.addEventListener('abort', onLost, { once: true });
    cancel?.addEventListener('abort', onCancel, { once: true });
    event.then(() => finish('event'), () => finish('event'));
  });
}

/**
 * `work`, or `onAbort()` as soon as `signal` is aborted, whichever comes first. Work that finishes
 * after the caller gave up is handed to `onLate` (a lease acquired too late must be released).
 */
export function abortable<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
  onAbort: () => Error,
  onLate?: (value: T) => void,
): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.then((value) => onLate?.(value), () => undefined);
    return Promise.reject(onAbort());
  }
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const onAbortEvent = () => {
      settled = true;
      reject(onAbort());
    };
    signal.addEventListener('abort', onAbortEvent, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbortEvent);
        if (settled) onLate?.(value);
        else resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbortEvent);
        // A late failure has nobody left to tell: the caller already has its deadline error.
        if (!settled) reject(error);
      },
    );
  });
}

/**
 * Resolves after `ms`, or at once when `signal` aborts, its timer cleared: a wait given up (a
 * request at its deadline, under `abortable`) must not leave its timer behind, holding its
 * closure and keeping the process alive for as long as it would have waited (a minute for a
 * snowflake worker whose recorded bound is a minute ahead).
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
