import { LeasedSlot, LogSink, SlotLease, ZookeeperSession } from '@app/zookeeper';
import { Clock } from '../clock';
import { StrategyUnavailableError } from '../errors';
import { formatOrderNumber } from '../order-number';
import { IssuedNumber, OrderNumberStrategy } from './order-number-strategy';
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
 * issues again only under a fresh lease whose floor is what the previous lessee recorded.
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

  constructor(
    private readonly session: ZookeeperSession,
    private readonly paths: ZookeeperPaths,
    private readonly owner: string,
    private readonly settings: () => { requestTimeoutMs: number; maxClockSkewMs: number },
    /** Stamps the numbers and the reserved windows; gated by the replica's clock skew. */
    private readonly clock: Clock,
    private readonly options: SnowflakeOptions = {},
  ) {}

  async next(businessId: number): Promise<IssuedNumber> {
    const deadline = this.clock.now() + this.settings().requestTimeoutMs;
    const leased = await this.lease();
    for (;;) {
      if (leased.slot.lost.aborted) throw new StrategyUnavailableError(this.name, 'worker ID lease lost (ZooKeeper session, or its node deleted)');
      const now = this.clock.now();
      const ms = this.nextMs(businessId, now, leased);
      const ahead = ms - now - this.settings().maxClockSkewMs;
      if (ahead <= 0) {
        if (leased.reservation.covers(ms)) {
          // Renew ahead of need in the background; a failure only matters once the window runs out.
          leased.reservation.renewIfDue(ms)?.catch((error: Error) => this.options.logger?.warn(`worker reservation not renewed yet: ${error.message}`));
          return this.issue(businessId, ms, leased.slot.slot);
        }
        // Past the recorded window: the new end must be in ZooKeeper before we use it.
        await leased.reservation.renewIfDue(ms)?.catch((error: Error) => {
          throw new StrategyUnavailableError(this.name, `cannot record the worker's reserved milliseconds: ${error.message}`, { cause: error });
        });
        continue;
      }
      if (Date.now() + ahead > deadline) {
        throw new StrategyUnavailableError(this.name, `clock is ${ms - now} ms behind the millisecond this worker may use next`);
      }
      await new Promise((resolve) => setTimeout(resolve, ahead));
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
  private nextMs(businessId: number, now: number, leased: Leased): number {
    const ms = Math.max(now, leased.floorMs + 1);
    const previous = this.last.get(businessId);
    if (!previous || previous.ms < ms) return ms;
    return previous.seq < MAX_SEQUENCE ? previous.ms : previous.ms + 1;
  }

  private issue(businessId: number, ms: number, workerId: number): IssuedNumber {
    const previous = this.last.get(businessId);
    const seq = previous && previous.ms === ms ? previous.seq + 1 : 0;
    this.last.set(businessId, { ms, seq });
    return { orderNumber: formatOrderNumber(ms, businessId, workerId * 100 + seq), retries: 0 };
  }

  private async lease(): Promise<Leased> {
    if (this.leased && !this.leased.slot.lost.aborted) return this.leased;
    this.leasing ??= this.takeLease().finally(() => (this.leasing = undefined));
    return this.leasing;
  }

  private async takeLease(): Promise<Leased> {
    const leases = new SlotLease(this.session, this.paths.workers, WORKER_IDS, this.owner);
    const previous = this.leased;
    const slot = (previous && (await leases.reclaim(previous.slot))) || (await leases.acquire());
    if (previous && slot.slot === previous.slot.slot && (await previous.reservation.unchangedSinceOurs())) {
      // The same worker ID, and nobody recorded a reservation for it since we did: nobody else has
      // issued under it, and our own memory (`last`) keeps us above what we issued. No wait.
      this.leased = { slot, reservation: previous.reservation, floorMs: previous.floorMs };
      this.options.logger?.log(`leased worker ID ${slot.slot} again`);
      return this.leased;
    }
    const reservation = new WorkerReservation(this.session, this.paths.workerState(slot.slot), this.options.reservationWindowMs ?? 2000);
    const floorMs = await reservation.previousEnd();
    await reservation.renewIfDue(Math.max(this.clock.now(), floorMs + 1));
    this.last.clear(); // the sequences belonged to the previous worker ID
    this.leased = { slot, reservation, floorMs };
    this.options.logger?.log(`leased worker ID ${slot.slot} (never at or before ${floorMs})`);
    return this.leased;
  }
}
