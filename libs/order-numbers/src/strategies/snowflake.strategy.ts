import { abortable, sleep } from '@app/locks';
import { LeasedSlot, LogSink, SlotLease, ZookeeperSession } from '@app/zookeeper';
import { Clock } from '../clock';
import { EpochSupersededError, StrategyUnavailableError } from '../errors';
import { SequenceLedger } from '../ledger/sequence-ledger';
import { formatOrderNumber } from '../order-number';
import { IssueContext, IssuedNumber, OrderNumberStrategy } from './order-number-strategy';
import { HandoverReads } from './handover-reads';
import { WorkerReservation } from './worker-reservation';
import { ZookeeperPaths } from '@app/contracts';

const WORKER_IDS = 100;
const MAX_SEQUENCE = 99;

export interface SnowflakeOptions {
  /** How far ahead a worker's used milliseconds are recorded in ZooKeeper; default 2000 ms. */
  reservationWindowMs?: number;
  logger?: LogSink;
}

interface Leased {
  slot: LeasedSlot;
  reservation: WorkerReservation;
  /** Never issue at or before this: the last millisecond any earlier lessee may have used. */
  floorMs: number;
}

/**
 * `snowflake`: no lock. Each replica leases the lowest free worker ID 00–99 in ZooKeeper and
 * numbers locally: timestamp + business ID + worker ID + a 2-digit sequence per millisecond.
 * It stops issuing the moment its session is suspended or lost or its lease node is deleted, and
 * issues again only under a fresh lease whose floor is what the previous lessee recorded; a
 * reservation record found deleted or rewritten is taken up again the same way. Under
 * each epoch it starts above the ledger family's mark of the business line, read fenced by that
 * epoch (the hand-over of DESIGN §3).
 *
 * Like the ledger it is a hybrid logical clock (DESIGN §3, "Time"): behind its floor or its last
 * millisecond (a predecessor's window, a clock step back) it issues in the next millisecond it may
 * use, as long as that is at most MAX_CLOCK_SKEW_MS ahead of its clock; further ahead it waits.
 */
export class SnowflakeStrategy implements OrderNumberStrategy {
  readonly name = 'snowflake' as const;
  private leased?: Leased;
  private leasing?: Promise<Leased>;
  private readonly last = new Map<number, { ms: number; seq: number }>();
  /**
   * Per epoch and business line, the millisecond this epoch must start above: the ledger's mark and
   * the segments' bound, read fenced by the epoch (token 0), so no older epoch's ledger write lands after it.
   */
  private readonly handoverFloors = new HandoverReads((epoch, businessId) => this.readHandoverFloor(businessId, epoch));

  constructor(
    private readonly session: ZookeeperSession,
    private readonly paths: ZookeeperPaths,
    private readonly owner: string,
    private readonly ledger: SequenceLedger,
    private readonly settings: () => { maxClockSkewMs: number },
    /** Stamps the numbers and the reserved windows; gated by the replica's clock skew. */
    private readonly clock: Clock,
    private readonly options: SnowflakeOptions = {},
  ) {}

  async next(businessId: number, context: IssueContext): Promise<IssuedNumber> {
    const { epoch } = context; // `context.signal` only where this waits: it may be made on first use
    const tooLate = (what: string) => () => new StrategyUnavailableError(this.name, `${what} before the request's deadline`);
    // In steady state both are known: no await, no listener on the request's signal.
    let leased = this.usableLease() ?? (await abortable(this.lease(epoch), context.signal, tooLate('no worker ID leased')));
    const handoverMs =
      this.handoverFloors.known(epoch, businessId) ??
      (await abortable(this.handoverFloors.get(epoch, businessId), context.signal, tooLate('the ledger mark was not read')));
    for (;;) {
      if (leased.slot.lost.aborted) throw new StrategyUnavailableError(this.name, 'worker ID lease lost (ZooKeeper session, or its node deleted)');
      const now = this.clock.now();
      const ms = this.nextMs(businessId, now, Math.max(leased.floorMs, handoverMs));
      const ahead = ms - now - this.settings().maxClockSkewMs;
      if (ahead <= 0) {
        if (leased.reservation.covers(ms)) {
          // Renew ahead of need in the background; a failure only matters once the window runs out.
          leased.reservation
            .renewIfDue(ms, epoch)
            ?.catch((error: Error) => this.options.logger?.warn(`worker reservation not renewed yet: ${error.message}`));
          return this.issue(businessId, ms, leased.slot.slot);
        }
        // Past the recorded window: the new end must be recorded before we use it. A refusal by a
        // newer epoch passes through as it is, so that the request starts again under that epoch.
        const renewal = leased.reservation.renewIfDue(ms, epoch) ?? Promise.resolve();
        try {
          await abortable(renewal, context.signal, tooLate('the reserved milliseconds were not recorded'));
        } catch (error) {
          if (error instanceof EpochSupersededError || error instanceof StrategyUnavailableError) throw error;
          if (leased.reservation.diverged === undefined || leased.slot.lost.aborted) {
            throw new StrategyUnavailableError(this.name, `cannot record the worker's reserved milliseconds: ${(error as Error).message}`, { cause: error });
          }
          // The record was deleted or rewritten under us: lease again, above whatever it and the ledger say now.
          leased = await abortable(this.lease(epoch), context.signal, tooLate('no worker ID leased'));
        }
        continue;
      }
      await abortable(sleep(ahead, context.signal), context.signal, tooLate(`the clock did not come within ${this.settings().maxClockSkewMs} ms of ${ms}`));
    }
  }

  async close(): Promise<void> {
    const leased = this.leased;
    this.leased = undefined;
    if (leased && !leased.slot.lost.aborted) {
      await new SlotLease(this.session, this.paths.workers, WORKER_IDS, this.owner).release(leased.slot);
    }
  }

  /** The first millisecond this worker may use for `businessId`: never at or before its floor, never back. */
  private nextMs(businessId: number, now: number, floorMs: number): number {
    const ms = Math.max(now, floorMs + 1);
    const previous = this.last.get(businessId);
    if (!previous || previous.ms < ms) return ms;
    return previous.seq < MAX_SEQUENCE ? previous.ms : previous.ms + 1;
  }

  private async readHandoverFloor(businessId: number, epoch: number): Promise<number> {
    const [mark, segmentMs] = await Promise.all([this.ledger.read(businessId, { epoch, token: 0 }), this.ledger.segmentBound(epoch)]);
    return Math.max(mark?.ms ?? 0, segmentMs);
  }

  private issue(businessId: number, ms: number, workerId: number): IssuedNumber {
    const previous = this.last.get(businessId);
    const seq = previous && previous.ms === ms ? previous.seq + 1 : 0;
    this.last.set(businessId, { ms, seq });
    return { orderNumber: formatOrderNumber(ms, businessId, workerId * 100 + seq), retries: 0 };
  }

  /** The lease in force, if it still holds and its reservation can still be recorded. */
  private usableLease(): Leased | undefined {
    const leased = this.leased;
    return leased && !leased.slot.lost.aborted && leased.reservation.diverged === undefined ? leased : undefined;
  }

  private async lease(epoch: number): Promise<Leased> {
    const usable = this.usableLease();
    if (usable) return usable;
    this.leasing ??= this.takeLease(epoch).finally(() => (this.leasing = undefined));
    return this.leasing;
  }

  private async takeLease(epoch: number): Promise<Leased> {
    const leases = new SlotLease(this.session, this.paths.workers, WORKER_IDS, this.owner);
    const previous = this.leased;
    const slot = (previous && (await leases.reclaim(previous.slot))) || (await leases.acquire());
    const diverged = previous?.reservation.diverged;
    if (diverged !== undefined) this.options.logger?.warn(`worker ID ${previous?.slot.slot}'s reservation record is not as we left it (${diverged}): leasing again`);
    if (previous && slot.slot === previous.slot.slot && diverged === undefined && (await previous.reservation.unchangedSinceOurs())) {
      // The same worker ID, and nobody recorded a reservation for it since we did: nobody else has
      // issued under it, and our own memory (`last`) keeps us above what we issued. No wait.
      this.leased = { slot, reservation: previous.reservation, floorMs: previous.floorMs };
      this.options.logger?.log(`leased worker ID ${slot.slot} again`);
      return this.leased;
    }
    const window = this.options.reservationWindowMs ?? 2000;
    const reservation = new WorkerReservation(this.session, this.paths.workerState(slot.slot), window, this.ledger, slot.slot);
    // The bound each worker also raises in Redis covers whatever an earlier lessee of this ID may
    // have used when ZooKeeper has no record of it (a new worker ID, or a ZooKeeper that lost its data).
    // Our own last millisecond too: the same ID taken again may find both the record and the bound lost.
    const ownLastMs = Math.max(0, ...[...this.last.values()].map((used) => used.ms));
    const floorMs = Math.max(await reservation.previousEnd(), await this.ledger.workerBound(slot.slot), ownLastMs);
    await reservation.renewIfDue(Math.max(this.clock.now(), floorMs + 1), epoch);
    this.last.clear(); // the sequences belonged to the previous worker ID
    this.leased = { slot, reservation, floorMs };
    this.options.logger?.log(`leased worker ID ${slot.slot} (never at or before ${floorMs})`);
    return this.leased;
  }
}
