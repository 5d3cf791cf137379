import { Logger } from '@nestjs/common';
import { LeasedSlot, SlotLease, ZookeeperSession } from '@app/zookeeper';
import { StrategyUnavailableError } from '../errors';
import { formatOrderNumber } from '../order-number';
import { IssuedNumber, OrderNumberStrategy } from './order-number-strategy';
import { WorkerReservation } from './worker-reservation';
import { ZookeeperPaths } from '@app/contracts';

const WORKER_IDS = 100;
const MAX_SEQUENCE = 99;
/** A clock step back this small is waited out; a bigger one is refused (503), never reused. */
const MAX_BACKWARD_WAIT_MS = 50;

interface Leased {
  slot: LeasedSlot;
  reservation: WorkerReservation;
  /** Never issue at or before this: the last millisecond any earlier lessee may have used. */
  floorMs: number;
}

/**
 * `snowflake`: no lock. Each replica leases the lowest free worker ID 00–99 in ZooKeeper and
 * numbers locally: timestamp + business ID + worker ID + a 2-digit sequence per millisecond.
 * It stops issuing the moment its session is suspended or lost, and issues again only under a
 * fresh lease whose floor is what the previous lessee recorded.
 */
export class SnowflakeStrategy implements OrderNumberStrategy {
  readonly name = 'snowflake' as const;
  private readonly logger = new Logger(SnowflakeStrategy.name);
  private leased?: Leased;
  private leasing?: Promise<Leased>;
  private readonly last = new Map<number, { ms: number; seq: number }>();

  constructor(
    private readonly session: ZookeeperSession,
    private readonly paths: ZookeeperPaths,
    private readonly owner: string,
    private readonly settings: () => { requestTimeoutMs: number },
    private readonly reservationWindowMs = 2000,
  ) {}

  get workerId(): number | undefined {
    return this.leased && !this.leased.slot.lost.aborted ? this.leased.slot.slot : undefined;
  }

  async next(businessId: number): Promise<IssuedNumber> {
    const deadline = Date.now() + this.settings().requestTimeoutMs;
    const leased = await this.lease();
    for (;;) {
      if (leased.slot.lost.aborted) throw new StrategyUnavailableError(this.name, 'worker ID lease lost with the ZooKeeper session');
      const now = Date.now();
      const wait = this.waitBefore(businessId, now, leased);
      if (wait === 0) {
        if (leased.reservation.covers(now)) {
          // Renew ahead of need in the background; a failure only matters once the window runs out.
          leased.reservation
            .renewIfDue(now)
            ?.catch((error: Error) => this.logger.warn(`worker reservation not renewed yet: ${error.message}`));
          return this.issue(businessId, now, leased.slot.slot);
        }
        // Past the recorded window: the new end must be in ZooKeeper before we use it.
        await leased.reservation.renewIfDue(now)?.catch((error: Error) => {
          throw new StrategyUnavailableError(this.name, `cannot record the worker's reserved milliseconds: ${error.message}`, {
            cause: error,
          });
        });
        continue;
      }
      if (now + wait > deadline) throw new StrategyUnavailableError(this.name, `clock is ${wait} ms behind the last used millisecond`);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  async close(): Promise<void> {
    const leased = this.leased;
    this.leased = undefined;
    if (leased && !leased.slot.lost.aborted) {
      await new SlotLease(this.session, this.paths.workers, WORKER_IDS, this.owner).release(leased.slot);
    }
  }

  /** How long to wait before issuing at `now` (0: go); throws when the clock went far back. */
  private waitBefore(businessId: number, now: number, leased: Leased): number {
    if (now <= leased.floorMs) return leased.floorMs - now + 1; // an earlier lessee may have used these
    const previous = this.last.get(businessId);
    if (!previous || now > previous.ms) return 0;
    if (now === previous.ms) return previous.seq < MAX_SEQUENCE ? 0 : 1;
    const behind = previous.ms - now;
    if (behind > MAX_BACKWARD_WAIT_MS) {
      throw new StrategyUnavailableError(this.name, `clock moved back ${behind} ms; refusing to reuse a millisecond`);
    }
    return behind;
  }

  private issue(businessId: number, now: number, workerId: number): IssuedNumber {
    const previous = this.last.get(businessId);
    const seq = previous && previous.ms === now ? previous.seq + 1 : 0;
    this.last.set(businessId, { ms: now, seq });
    return { orderNumber: formatOrderNumber(now, businessId, workerId * 100 + seq), retries: 0 };
  }

  private async lease(): Promise<Leased> {
    if (this.leased && !this.leased.slot.lost.aborted) return this.leased;
    this.leasing ??= this.takeLease().finally(() => (this.leasing = undefined));
    return this.leasing;
  }

  private async takeLease(): Promise<Leased> {
    const leases = new SlotLease(this.session, this.paths.workers, WORKER_IDS, this.owner);
    const previous = this.leased?.slot;
    const slot = (previous && (await leases.reclaim(previous))) || (await leases.acquire());
    const reservation = new WorkerReservation(this.session, this.paths.workerState(slot.slot), this.reservationWindowMs);
    const floorMs = await reservation.previousEnd();
    await reservation.renewIfDue(Math.max(Date.now(), floorMs + 1));
    this.last.clear(); // the sequences belonged to the previous worker ID
    this.leased = { slot, reservation, floorMs };
    this.logger.log(`leased worker ID ${slot.slot} (never at or before ${floorMs})`);
    return this.leased;
  }
}
