import { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { MariadbDatabase } from '@app/mariadb';
import { formatOrderNumber } from '../order-number';
import { FORMAT_NUMBERS_PER_MS } from './segment-step';

const PER_MS = BigInt(FORMAT_NUMBERS_PER_MS);

/** Positions `start..end` (inclusive) of one business line, taken from the ledger at `allocatedAtMs`. */
export interface Segment {
  start: bigint;
  end: bigint;
  allocatedAtMs: number;
}

/** A position is a millisecond and a sequence in one integer: ms × 10,000 + seq (beyond 2^53, hence bigint). */
export function positionOf(ms: number, seq = 0): bigint {
  return BigInt(ms) * PER_MS + BigInt(seq);
}

/** The order number at `position`: its millisecond is the one the segment was allocated in (or just after). */
export function orderNumberAt(position: bigint, businessId: number): string {
  return formatOrderNumber(Number(position / PER_MS), businessId, Number(position % PER_MS));
}

/** The millisecond of a position. */
export function positionMs(position: bigint): number {
  return Number(position / PER_MS);
}

/**
 * `db-segment`'s ledger in MariaDB (the `segment_ledger` table): per business line, the end of the
 * highest segment ever handed out. Taking a segment is one autocommit statement, so it needs no
 * lock and no transaction: the row lock InnoDB takes for the update makes two takers queue, and
 * `LAST_INSERT_ID(expr)` hands the new end back to this connection (MariaDB has no `RETURNING`
 * on UPDATE). The segment starts at the clock's millisecond, or right after the previous end if
 * that is later, and never at or below `floor` (the other number family's mark at a strategy switch).
 * A row that has to be created starts above `newRowFloor` as well: the table knows nothing of the
 * segments taken before, when it replaces a lost row (deleted, its table dropped, a database
 * restored without it), and the clock alone would keep above them only if every replica's clock
 * agreed to the millisecond.
 */
export class SegmentLedger {
  constructor(
    private readonly database: MariadbDatabase,
    private readonly queryTimeoutMs: () => number,
  ) {}

  /** A segment of `size` positions, starting no earlier than `nowMs` and above `floor` (and, as always, above every earlier one). */
  async allocate(businessId: number, size: number, nowMs: number, floor = -1n, newRowFloor = -1n): Promise<Segment> {
    const endFrom = (above: bigint) => {
      const from = positionOf(nowMs) > above ? positionOf(nowMs) : above + 1n;
      return (from + BigInt(size) - 1n).toString();
    };
    let result: ResultSetHeader;
    try {
      const pool = await this.database.ready();
      [result] = await pool.query<ResultSetHeader>({
        sql:
          'INSERT INTO segment_ledger (business_id, max_position) VALUES (?, LAST_INSERT_ID(?)) ' +
          'ON DUPLICATE KEY UPDATE max_position = LAST_INSERT_ID(GREATEST(max_position + ?, ?))',
        values: [businessId, endFrom(newRowFloor > floor ? newRowFloor : floor), size, endFrom(floor)],
        timeout: this.queryTimeoutMs(),
      });
    } catch (error) {
      throw this.database.failure(error, `segment of business line ${businessId}`);
    }
    const end = BigInt(result.insertId);
    return { start: end - BigInt(size) + 1n, end, allocatedAtMs: nowMs };
  }

  /** The highest segment end of any business line (null before the first segment): the next family starts above it. */
  async highestEnd(): Promise<bigint | null> {
    try {
      const pool = await this.database.ready();
      const [rows] = await pool.query<RowDataPacket[]>({ sql: 'SELECT MAX(max_position) AS highest FROM segment_ledger', timeout: this.queryTimeoutMs() });
      const highest: unknown = rows[0]?.highest;
      return highest === null || highest === undefined ? null : BigInt(String(highest));
    } catch (error) {
      throw this.database.failure(error, 'reading the highest segment end');
    }
  }
}
