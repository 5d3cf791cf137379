import { z } from 'zod';

/**
 * The lease a number was issued under, as its holder saw it. Times are the machine's monotonic
 * clock in ms (CLOCK_MONOTONIC, shared by every process on one host and untouched by `faketime`
 * when FAKETIME_DONT_FAKE_MONOTONIC=1), so leases of different replicas can be compared even when
 * one replica's wall clock is skewed on purpose; the wall times are kept for a human reading.
 */
export const historyLeaseSchema = z.object({
  /** The lock's kind (`redis`, `zookeeper`, ...): tokens of different kinds are not comparable. */
  kind: z.string().min(1),
  resource: z.string().min(1),
  token: z.number().int().nullable(),
  acquiredMono: z.number(),
  releasedMono: z.number(),
  acquiredWall: z.number().int(),
  releasedWall: z.number().int(),
});

/** One line of a replica's history file: one number the replica issued, for the checker of `npm run faults`. */
export const historyRecordSchema = z.object({
  replica: z.string().min(1),
  /** Process id: a restarted replica appends to the same file, and its leases are its own. */
  pid: z.number().int(),
  strategy: z.string().min(1),
  businessId: z.number().int(),
  orderNumber: z.string().min(1),
  issuedMono: z.number(),
  issuedWall: z.number().int(),
  /** Null for the strategies that hold no lock per number (the pool, snowflake). */
  lease: historyLeaseSchema.nullable(),
});

export type HistoryLease = z.infer<typeof historyLeaseSchema>;
export type HistoryRecord = z.infer<typeof historyRecordSchema>;

/** A history line that is not a record: the checker must not silently skip what it cannot read. */
export class HistoryFormatError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`);
    this.name = 'HistoryFormatError';
  }
}

/**
 * Parses one history file's text. The last line may be cut short by a replica killed mid-write
 * (the `kill-replica` fault): that one line is dropped and counted, any other bad line throws.
 */
export function parseHistory(text: string, file: string): { records: HistoryRecord[]; truncated: number } {
  const lines = text.split('\n');
  const records: HistoryRecord[] = [];
  let truncated = 0;
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const last = index === lines.length - 1;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      if (last) {
        truncated += 1;
        return;
      }
      throw new HistoryFormatError(file, index + 1, (error as Error).message);
    }
    const parsed = historyRecordSchema.safeParse(json);
    if (!parsed.success) throw new HistoryFormatError(file, index + 1, parsed.error.issues.map((issue) => issue.message).join('; '));
    records.push(parsed.data);
  });
  return { records, truncated };
}
