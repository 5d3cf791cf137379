import { RedisUnavailableError } from './redis-client';

/** `WAIT numreplicas timeout`: how many replicas have every write this connection sent before it. */
export type WaitCommand = (replicas: number, timeoutMs: number) => Promise<number>;

/**
 * Holds a number back until `replicas` Redis replicas have the writes it depends on (the ledger
 * mark, the pool pop): with asynchronous replication, a failover promotes a replica that may lack
 * the primary's last acknowledged writes, and the numbers they covered would be issued again.
 *
 * One WAIT answers for every caller that asked before it was sent (group commit, as the locks
 * do): WAIT covers all earlier writes of its connection, and each caller's write has had its
 * reply before the caller asks. A caller arriving while a WAIT is out waits for the next one,
 * which is sent after it asked.
 */
export class ReplicaAcknowledgement {
  private inFlight: Promise<void> | undefined;
  private next: Promise<void> | undefined;

  constructor(
    private readonly wait: WaitCommand,
    readonly replicas: number,
    private readonly timeoutMs: number,
  ) {}

  /** Resolves once `replicas` replicas have every write sent before this call; else RedisUnavailableError. */
  confirm(): Promise<void> {
    if (this.replicas === 0) return Promise.resolve();
    if (!this.inFlight) return this.send();
    this.next ??= this.inFlight
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return this.send();
      });
    return this.next;
  }

  private send(): Promise<void> {
    const sent: Promise<void> = this.acknowledged().finally(() => {
      if (this.inFlight === sent) this.inFlight = undefined;
    });
    this.inFlight = sent;
    return sent;
  }

  private async acknowledged(): Promise<void> {
    let acknowledged: number;
    try {
      acknowledged = await this.wait(this.replicas, this.timeoutMs);
    } catch (error) {
      throw new RedisUnavailableError(`Redis WAIT failed: ${(error as Error).message}`, { cause: error });
    }
    if (acknowledged < this.replicas) {
      throw new RedisUnavailableError(
        `${acknowledged} of the ${this.replicas} Redis replicas REDIS_WAIT_REPLICAS asks for acknowledged the write within ${this.timeoutMs} ms`,
      );
    }
  }
}
