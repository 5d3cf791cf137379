import { Mutex } from 'async-mutex';
import { LockTimeoutError } from './errors';
import { AcquireOptions, DistributedLock, Lease, LockStats } from './lock';
import { AcquireStage, raceDeadline } from './wait';

const NEVER_LOST = new AbortController().signal;

/**
 * An in-process mutex per resource: exclusive inside one replica, nothing across replicas.
 * It has no fencing token: within one process a holder cannot be overtaken.
 */
export class LocalLock implements DistributedLock {
  readonly kind = 'local';
  readonly backend = 'this process';
  readonly fencing = false;
  readonly stats = new LockStats();
  private readonly mutexes = new Map<string, Mutex>();

  async acquire(resource: string, { waitMs, signal, stage = new AcquireStage() }: AcquireOptions): Promise<Lease> {
    let mutex = this.mutexes.get(resource);
    if (!mutex) this.mutexes.set(resource, (mutex = new Mutex()));
    const pending = mutex.acquire();
    const outcome = await stage.holder(raceDeadline(pending, Date.now() + waitMs, undefined, signal));
    if (outcome !== 'event') {
      // We stop waiting, but the queue will still hand us the mutex: pass it straight on.
      void pending.then((release) => release());
      throw new LockTimeoutError(resource, waitMs, this.kind);
    }
    const release = await pending;
    this.stats.acquisitions += 1;
    return { resource, token: undefined, lost: NEVER_LOST, release: async () => release() };
  }
}
