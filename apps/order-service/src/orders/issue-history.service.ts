import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { OrderServiceConfig } from '@app/contracts';
import { HistoryRecorder, Issued } from '@app/history';
import { DistributedLock } from '@app/locks';
import { ORDER_SERVICE_CONFIG } from '../config/config.tokens';
import { REPLICA_IDENTITY, ReplicaIdentity } from '../config/replica-identity';

/**
 * The replica's one hook for the history checker of `npm run faults`: with HISTORY_DIR set,
 * every issue and the lease it was issued under go to this replica's history file; without it,
 * both methods hand back what they were given and cost nothing on the bench's hot path.
 */
@Injectable()
export class IssueHistory implements OnApplicationShutdown {
  private readonly recorder: HistoryRecorder | undefined;

  constructor(
    @Inject(ORDER_SERVICE_CONFIG) config: OrderServiceConfig,
    @Inject(REPLICA_IDENTITY) identity: ReplicaIdentity,
  ) {
    if (config.HISTORY_DIR === undefined) return;
    this.recorder = new HistoryRecorder(config.HISTORY_DIR, identity.id);
    new Logger(IssueHistory.name).warn(`recording every issued number into ${config.HISTORY_DIR} (the faults run's history)`);
  }

  /** Runs one issue (`strategy.next`) and records what it issued. */
  issue<T extends Issued>(strategy: string, businessId: number, run: () => Promise<T>): Promise<T> {
    return this.recorder ? this.recorder.issue(strategy, businessId, run) : run();
  }

  /** The lock a locked strategy is built with, recording its leases. */
  wrapLock(lock: DistributedLock): DistributedLock {
    return this.recorder ? this.recorder.wrapLock(lock) : lock;
  }

  onApplicationShutdown(): void {
    this.recorder?.close();
  }
}
