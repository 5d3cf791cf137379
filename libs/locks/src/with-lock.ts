import { LogSink } from '@app/zookeeper';
import { LockBackendError, LockTimeoutError } from './errors';
import { AcquireOptions, DistributedLock, Lease } from './lock';
import { abortable, AcquireStage } from './wait';

/**
 * Acquires (never past `options.signal`), hands the lease to `routine`, and releases whatever
 * `routine` did. The release runs in the background: the caller's answer does not wait for it
 * (DESIGN §6, one deadline per request), and a release that fails is logged, since the lease's own
 * expiry (TTL, session) frees the lock anyway.
 */
export async function withLock<T>(
  lock: DistributedLock,
  resource: string,
  options: AcquireOptions,
  routine: (lease: Lease) => Promise<T>,
  logger?: LogSink,
): Promise<T> {
  const stage = options.stage ?? new AcquireStage();
  const lease = await abortable(
    lock.acquire(resource, { ...options, stage }),
    options.signal,
    () =>
      stage.waitingForHolder
        ? new LockTimeoutError(resource, options.waitMs, lock.kind)
        : new LockBackendError(resource, lock.kind, { cause: `no answer from ${lock.backend} before the request's deadline` }),
    (late) => releaseInBackground(late, logger),
  );
  try {
    return await routine(lease);
  } finally {
    releaseInBackground(lease, logger);
  }
}

function releaseInBackground(lease: Lease, logger?: LogSink): void {
  lease.release().catch((error: Error) => logger?.warn(`could not release ${lease.resource}: ${error.message}`));
}
