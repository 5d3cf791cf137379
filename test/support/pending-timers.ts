/** What `trackTimers` hands back: the tracked timers still pending, and the end of the tracking. */
export interface TimerTracking {
  /** Tracked timers that have neither fired nor been cleared. */
  pending(): number;
  restore(): void;
}

/**
 * Real timers of at least `minMs` set from now on, followed until they fire or are cleared: a
 * timer left behind by a wait that was given up holds its closure and keeps the process (a test
 * run, a CLI) alive for the rest of its time. Shorter ones (client libraries' own) are not counted.
 */
export function trackTimers(minMs: number): TimerTracking {
  const pending = new Set<NodeJS.Timeout>();
  const { setTimeout: realSet, clearTimeout: realClear } = global;
  const set = jest.spyOn(global, 'setTimeout').mockImplementation(((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const timer = realSet(() => {
      pending.delete(timer);
      callback(...args);
    }, ms);
    if ((ms ?? 0) >= minMs) pending.add(timer);
    return timer;
  }) as typeof setTimeout);
  const clear = jest.spyOn(global, 'clearTimeout').mockImplementation((timer) => {
    pending.delete(timer as NodeJS.Timeout);
    realClear(timer);
  });
  return {
    pending: () => pending.size,
    restore: () => {
      set.mockRestore();
      clear.mockRestore();
    },
  };
}
