import { LogSink } from '../log-sink';

/**
 * Runs `task`; on failure logs why and tries again after `delayMs` until `stopped()` says so.
 * Recipes use it for work that must eventually happen (re-register, re-arm a watch) once
 * ZooKeeper answers again.
 */
export function runWithRetry(
  logger: LogSink | undefined,
  what: string,
  task: () => Promise<void>,
  stopped: () => boolean,
  delayMs = 500,
): void {
  task().catch((error: Error) => {
    if (stopped()) return;
    logger?.warn(`${what} failed, retrying in ${delayMs} ms: ${error.message}`);
    setTimeout(() => runWithRetry(logger, what, task, stopped, delayMs), delayMs).unref();
  });
}
