export type RaceOutcome = 'event' | 'timeout' | 'lost';

/**
 * Races `event` against `deadline` (epoch ms) and `lost`, and says which came first. It never
 * polls (the cluster scripts' `waitUntil` is the one that re-checks a condition until a timeout).
 */
export function raceDeadline(event: Promise<unknown>, deadline: number, lost?: AbortSignal): Promise<RaceOutcome> {
  if (lost?.aborted) return Promise.resolve('lost');
  return new Promise<RaceOutcome>((resolve) => {
    const finish = (outcome: RaceOutcome) => {
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
