import Redis from 'ioredis';
import { armRun, asRedisUnavailable, parseArmRun } from '@app/redis';
import { LogSink } from '@app/zookeeper';
import { Clock } from './clock';
import { StaleTokenError } from './errors';
import { laterMark, Mark, nextMark } from './ledger/mark';
import { MissingMarkFloor } from './ledger/missing-mark-floor';
import { Fence, SequenceLedger } from './ledger/sequence-ledger';
import { formatOrderNumber } from './order-number';
import { poolKey, poolRunKey } from './strategies/pooled.strategy';

export interface PoolSettings {
  businessLines: number[];
  poolSize: number;
  lowWater: number;
  /** The ledger's floor after a lost mark depends on it (`MissingMarkFloor`). */
  maxClockSkewMs: number;
}

export interface PoolFillerOptions {
  /** How often the master looks at the pools; default 50 ms. */
  intervalMs?: number;
  logger?: LogSink;
}

/** How many numbers one fenced append pushes: big enough to be cheap, small enough for Lua's stack. */
const CHUNK = 1000;

/**
 * Keeps the `redis-pregen` pools above their low-water mark. Runs only on the elected master and
 * writes through the sequence ledger fenced by the epoch and the election token, so a deposed
 * master that wakes up from a pause, or one still filling under an older config, is refused
 * instead of adding numbers. Its numbers start above the snowflake workers' bound (DESIGN §3).
 */
export class PoolFiller {
  private timer?: NodeJS.Timeout;
  private running = false;
  private fence?: Fence;
  private readonly missingMark: MissingMarkFloor;

  constructor(
    private readonly redis: Redis,
    private readonly ledger: SequenceLedger,
    private readonly keyPrefix: string,
    private readonly settings: () => PoolSettings,
    /** Stamps the numbers; gated by the master's clock skew like every strategy's. */
    private readonly clock: Clock,
    private readonly options: PoolFillerOptions = {},
  ) {
    this.missingMark = new MissingMarkFloor(clock, () => this.settings().maxClockSkewMs);
  }

  /** Starts (or goes on) filling under `electionToken` and `epoch`; called as master, on every new epoch. */
  start(electionToken: number, epoch: number): void {
    this.fence = { epoch, token: electionToken };
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs ?? 50);
  }

  /**
   * Drops every pool's numbers. Called when the cluster switches back to `redis-pregen`: numbers
   * left from an earlier period are older than those the other strategies issued since, and
   * handing them out would break "numbers sort in issue order". Unissued numbers are just gaps.
   */
  async discardLeftovers(): Promise<void> {
    const keys = this.settings().businessLines.map((businessId) => poolKey(this.keyPrefix, businessId));
    try {
      await this.redis.del(...keys);
    } catch (error) {
      throw asRedisUnavailable(error, 'DEL of the pools');
    }
  }

  /**
   * A Redis that came back as a new run may hand out again numbers it had popped before a crash
   * (an unsynced append-only file, a restored snapshot): its pools are thrown away, in one script
   * with arming them for this run, and refilled above the ledger's mark.
   */
  private async discardIfNewRun(): Promise<void> {
    const pools = this.settings().businessLines.map((businessId) => poolKey(this.keyPrefix, businessId));
    let discarded: boolean;
    try {
      discarded = parseArmRun(await armRun.run(this.redis, [poolRunKey(this.keyPrefix), ...pools], []));
    } catch (error) {
      throw asRedisUnavailable(error, 'arming the pools for this Redis run');
    }
    if (discarded) this.options.logger?.log('Redis is a new run (run_id changed): pools discarded, refilling above the ledger mark');
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.fence = undefined;
  }

  /** One pass over every business line; exposed for tests. Returns the numbers pushed. */
  async fillOnce(): Promise<number> {
    await this.discardIfNewRun();
    const fence = this.fence;
    if (!fence) return 0;
    const floorMs = await this.ledger.ledgerFamilyFloor(fence.epoch);
    let pushed = 0;
    for (const businessId of this.settings().businessLines) pushed += await this.fillLine(businessId, fence, floorMs);
    return pushed;
  }

  private async tick(): Promise<void> {
    const fence = this.fence;
    if (this.running || fence === undefined) return; // a pass still under way
    this.running = true;
    try {
      await this.fillOnce();
    } catch (error) {
      // Refused under the fence we started the pass with; a newer one given meanwhile goes on.
      if (error instanceof StaleTokenError && this.fence === fence) {
        this.options.logger?.warn(`refused as a deposed master (${error.message}); stopping the filler`);
        this.stop();
      } else {
        this.options.logger?.warn(`pool refill failed, retrying: ${(error as Error).message}`);
      }
    } finally {
      this.running = false;
    }
  }

  private async fillLine(businessId: number, fence: Fence, floorMs: number): Promise<number> {
    const { poolSize, lowWater } = this.settings();
    const list = poolKey(this.keyPrefix, businessId);
    let length: number;
    try {
      length = await this.redis.llen(list);
    } catch (error) {
      throw asRedisUnavailable(error, `LLEN ${list}`);
    }
    if (length >= lowWater) return 0;
    let pushed = 0;
    // A few refusals in a row (the mark moved under us) end the pass; the next tick tries again.
    for (let refusals = 0; refusals < 5 && length + pushed < poolSize && this.fence === fence; ) {
      const previous = await this.ledger.read(businessId, fence);
      const wait = this.missingMark.waitMs(businessId, previous);
      // Not under any lock: the append below still refuses if the mark moved meanwhile.
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      // Above whatever snowflake workers may have used: the first millisecond past their bound.
      const from = laterMark(previous, floorMs > 0 ? { ms: floorMs + 1, seq: -1 } : null);
      const { numbers, last } = generate(businessId, from, Math.min(CHUNK, poolSize - length - pushed), this.clock);
      if (await this.ledger.append(businessId, list, previous, last, numbers, fence)) {
        pushed += numbers.length;
        this.missingMark.written(businessId);
      } else {
        refusals += 1;
      }
    }
    return pushed;
  }
}

/** `count` consecutive numbers after `previous`, stamped with the time of generation (the ledger's hybrid logical clock). */
function generate(businessId: number, previous: Mark | null, count: number, clock: Clock): { numbers: string[]; last: Mark } {
  const numbers: string[] = [];
  let mark = previous;
  while (numbers.length < count) {
    mark = nextMark(mark, clock.now());
    numbers.push(formatOrderNumber(mark.ms, businessId, mark.seq));
  }
  return { numbers, last: mark ?? { ms: 0, seq: 0 } };
}
