/** Counts per replica, kept by the gateway: what `GET /replicas` shows and what least-active balances on. */
export interface ReplicaCounts {
  inFlight: number;
  /** Answered with a result. */
  served: number;
  /** Answered with an error (invalid request, backend unavailable): an answer, not a fault of the link. */
  rejected: number;
  /** Sent but not answered (connection lost, timeout): fate unknown. */
  failed: number;
}

/** Per-replica call accounting. Counts of replicas that left are kept: they are history, not rotation. */
export class ReplicaActivity {
  private readonly counts = new Map<string, ReplicaCounts>();

  started(replica: string): void {
    this.entry(replica).inFlight += 1;
  }

  finished(replica: string, outcome: 'served' | 'rejected' | 'failed'): void {
    const entry = this.entry(replica);
    entry.inFlight -= 1;
    entry[outcome] += 1;
  }

  /** A call that never reached the replica (connect failed): neither served nor failed by it. */
  abandoned(replica: string): void {
    this.entry(replica).inFlight -= 1;
  }

  of(replica: string): ReplicaCounts {
    return { ...this.entry(replica) };
  }

  all(): Record<string, ReplicaCounts> {
    return Object.fromEntries([...this.counts].map(([id, counts]) => [id, { ...counts }]));
  }

  private entry(replica: string): ReplicaCounts {
    let entry = this.counts.get(replica);
    if (!entry) {
      entry = { inFlight: 0, served: 0, rejected: 0, failed: 0 };
      this.counts.set(replica, entry);
    }
    return entry;
  }
}
