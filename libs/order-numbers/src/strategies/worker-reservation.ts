import { CreateMode } from 'node-zookeeper-client';
import { isBadVersion, isNoNode, isNodeExists, ZookeeperSession } from '@app/zookeeper';
import { SequenceLedger } from '../ledger/sequence-ledger';

/**
 * The milliseconds a snowflake worker ID may have used, kept in ZooKeeper (`<path>/NN`, persistent)
 * so that the next lessee of the same ID never issues at or before them. Writing every millisecond
 * would cost a ZooKeeper write per order; instead the holder reserves a window ahead of use and
 * records its end, so a crash can never lose a millisecond that was used. Every write names the
 * version it read or wrote last: a holder whose lease was taken away (its node deleted) and a new
 * lessee of the same ID can never both extend the window, one of them is refused (BAD_VERSION).
 * Each end is first raised in the ledger's snowflake bound, fenced by the epoch: once the ledger
 * family of a newer epoch has read that bound, no window of an older epoch can grow past it (the
 * hand-over of DESIGN §3), and the bound outlives a ZooKeeper that loses its data.
 *
 * A write refused because the record is not as this holder left it (deleted or rewritten by an
 * operator, or by a holder whose lease was taken away) makes the reservation `diverged`: it records
 * nothing more, and its holder takes the lease up again under a fresh one, above whatever the record
 * and the ledger's bound say now.
 */
export class WorkerReservation {
  private reservedUntilMs = 0;
  private renewing?: Promise<void>;
  /** The node's version as we last read or wrote it; undefined while it does not exist. */
  private version?: number;
  private divergedBy?: string;

  constructor(
    private readonly session: ZookeeperSession,
    private readonly path: string,
    private readonly windowMs: number,
    private readonly ledger: SequenceLedger,
    private readonly workerId: number,
  ) {}

  /** The end of the last reservation any earlier holder of this worker ID recorded (0 if none). */
  async previousEnd(): Promise<number> {
    try {
      const { data, stat } = await this.session.api().getData(this.path);
      this.version = stat.version;
      const parsed = data ? (JSON.parse(data.toString()) as { reservedUntilMs?: unknown }) : {};
      return typeof parsed.reservedUntilMs === 'number' ? parsed.reservedUntilMs : 0;
    } catch (error) {
      if (isNoNode(error)) return 0;
      throw error;
    }
  }

  /** Why this reservation no longer records (the record was deleted or rewritten), if it does not. */
  get diverged(): string | undefined {
    return this.divergedBy;
  }

  /** True if `ms` is inside a window already recorded in ZooKeeper. */
  covers(ms: number): boolean {
    return ms <= this.reservedUntilMs;
  }

  /** Starts a renewal when less than half the window is left; returns it so a caller past the end can wait. */
  renewIfDue(nowMs: number, epoch: number): Promise<void> | undefined {
    if (this.reservedUntilMs - nowMs > this.windowMs / 2) return undefined;
    this.renewing ??= this.record(nowMs + this.windowMs, epoch).finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  private async record(untilMs: number, epoch: number): Promise<void> {
    if (this.divergedBy !== undefined) throw new Error(this.divergedBy);
    await this.ledger.raiseSnowflakeBound(epoch, this.workerId, untilMs);
    const data = Buffer.from(JSON.stringify({ reservedUntilMs: untilMs }));
    const api = this.session.api();
    try {
      if (this.version === undefined) {
        await api.mkdirp(this.path.slice(0, this.path.lastIndexOf('/')));
        await api.create(this.path, data, CreateMode.PERSISTENT);
        this.version = 0;
      } else {
        this.version = (await api.setData(this.path, data, this.version)).version;
      }
    } catch (error) {
      // NODE_EXISTS: someone recorded first. NO_NODE, BAD_VERSION: the record is not as we left it.
      if (isNodeExists(error) || isNoNode(error) || isBadVersion(error)) this.divergedBy = (error as Error).message;
      throw error;
    }
    this.reservedUntilMs = untilMs;
  }

  /** True if nobody recorded a reservation for this worker ID since we last did. */
  async unchangedSinceOurs(): Promise<boolean> {
    const stat = await this.session.api().exists(this.path);
    return this.version !== undefined && stat?.version === this.version;
  }
}
