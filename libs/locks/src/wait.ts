export type WaitOutcome = 'event' | 'timeout' | 'lost';

/** Waits for `event`, but never past `deadline` (epoch ms) and never once `lost` is aborted. */
export function waitUntil(event: Promise<unknown>, deadline: number, lost?: AbortSignal): Promise<WaitOutcome> {
  if (lost?.aborted) return Promise.resolve('lost');
  return new Promise<WaitOutcome>((resolve) => {
    const finish = (outcome: WaitOutcome) => {
      clearTimeout(timer);
      lost?.removeEventListener('abort', onLost);
      resolve(outcome);
    };
    const onLost = () => finish('lost');
    const timer = setTimeout(() => finish('timeout'), Math.max(0, deadline - Date.now()));
    lost?.addEventListener('abort', onLost, { once: true });
    event.then(() => finish('event'), () => finish('event'));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
