import { AsyncLocalStorage } from 'node:async_hooks';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DistributedLock } from '@app/locks';
import { HistoryRecord } from './history-record';
import { monotonicMs } from './monotonic-clock';
import { LeaseBook, LeaseTrail, RecordingLock } from './recording.lock';

/** What a strategy hands back that the history needs (a structural subset of IssuedNumber). */
export interface Issued {
  orderNumber: string;
  fencingToken?: number;
}

/**
 * A replica's side of the history checker: one JSONL file per replica in `dir`, one line per
 * number issued. Each line is written with one `write(2)` straight to the kernel, so a replica
 * killed with SIGKILL loses at most the line it was writing, never numbers already issued.
 * Only `npm run faults` turns it on (HISTORY_DIR): it costs a system call per number.
 */
export class HistoryRecorder {
  private readonly trail = new AsyncLocalStorage<LeaseTrail>();
  private readonly leases = new LeaseBook();
  private fd: number | undefined;

  constructor(
    dir: string,
    private readonly replica: string,
  ) {
    mkdirSync(dir, { recursive: true });
    this.fd = openSync(join(dir, HistoryRecorder.fileName(replica)), 'a');
  }

  static fileName(replica: string): string {
    return `${replica}.jsonl`;
  }

  /** The lock every locked strategy of this replica is given instead of `lock`. */
  wrapLock(lock: DistributedLock): DistributedLock {
    return new RecordingLock(lock, this.trail, this.leases);
  }

  /**
   * Runs one issue and records what it issued. The lease is the one its token names (a batch's
   * lease was taken in another request's context), else the last one this request took: earlier
   * ones were given up (a stale token, a lost lease) and issued nothing.
   */
  async issue<T extends Issued>(strategy: string, businessId: number, run: () => Promise<T>): Promise<T> {
    const leases: LeaseTrail = [];
    const issued = await this.trail.run(leases, run);
    const record: HistoryRecord = {
      replica: this.replica,
      pid: process.pid,
      strategy,
      businessId,
      orderNumber: issued.orderNumber,
      issuedMono: monotonicMs(),
      issuedWall: Date.now(),
      lease: (issued.fencingToken !== undefined ? this.leases.find(`business-${businessId}`, issued.fencingToken) : undefined) ?? leases.at(-1) ?? null,
    };
    if (this.fd !== undefined) writeSync(this.fd, `${JSON.stringify(record)}\n`);
    return issued;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
