import { Socket } from 'node:net';
import { UnavailableError } from '@app/errors';

/** Why a four-letter word failed: no answer in time, no listener, or any other socket error. */
export type FourLetterWordFailure = 'timeout' | 'refused' | 'socket';

/**
 * Words that only read. Left out on purpose: `crst` and `srst` reset statistics, `kill` stopped a
 * server in old versions, and `gtmk`/`stmk` read and set the trace mask.
 */
export const READ_ONLY_FOUR_LETTER_WORDS = [
  'srvr',
  'stat',
  'mntr',
  'cons',
  'wchs',
  'wchc',
  'wchp',
  'conf',
  'envi',
  'ruok',
  'dirs',
  'isro',
  'dump',
  'reqs',
] as const;

export class FourLetterWordError extends UnavailableError {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly command: string,
    readonly failure: FourLetterWordFailure,
    cause?: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : failure;
    super(`ZooKeeper four-letter word '${command}' to ${host}:${port} failed (${failure}): ${reason}`, { cause });
  }
}

/**
 * Sends a four-letter word (`srvr`, `mntr`, `stat`, `cons`, `wchs`, ...) and resolves with the
 * whole reply. The server closes the connection after answering, so "end of stream" is the only
 * reliable end-of-reply marker.
 */
export function fourLetterWord(host: string, port: number, command: string, timeoutMs = 2000): Promise<string> {
  if (!/^[a-z]{4}$/.test(command)) {
    return Promise.reject(new RangeError(`not a four-letter word: '${command}'`));
  }
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const chunks: Buffer[] = [];
    let settled = false;
    const settle = (error?: FourLetterWordError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(Buffer.concat(chunks).toString('utf8'));
    };
    // One deadline for connect + reply: a frozen (SIGSTOPped) server accepts in the kernel and never answers.
    const timer = setTimeout(
      () => settle(new FourLetterWordError(host, port, command, 'timeout', new Error(`no reply within ${timeoutMs} ms`))),
      timeoutMs,
    );
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => settle());
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const failure: FourLetterWordFailure = error.code === 'ECONNREFUSED' ? 'refused' : 'socket';
      settle(new FourLetterWordError(host, port, command, failure, error));
    });
    // No half-close after the word: the server closes once it has answered, and some servers treat
    // an early FIN as a hang-up.
    socket.connect(port, host, () => socket.write(command));
  });
}

export type ZookeeperMode = 'standalone' | 'leader' | 'follower' | 'observer' | 'read-only';

export interface SrvrStats {
  /** undefined when the server answered but is not serving (no quorum yet, or shutting down). */
  mode: ZookeeperMode | undefined;
  version?: string;
  zxid?: bigint;
  latency?: { min: number; avg: number; max: number };
  received?: number;
  sent?: number;
  connections?: number;
  outstanding?: number;
  nodeCount?: number;
}

const MODES: readonly ZookeeperMode[] = ['standalone', 'leader', 'follower', 'observer', 'read-only'];

/** Parses the reply to `srvr` (also the head of `stat`). */
export function parseSrvr(text: string): SrvrStats {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const mode = fields.get('mode');
  const stats: SrvrStats = { mode: MODES.find((m) => m === mode) };
  const version = fields.get('zookeeper version');
  if (version !== undefined) stats.version = version.split(',')[0].trim();
  const zxid = fields.get('zxid');
  if (zxid !== undefined && /^0x[0-9a-f]+$/i.test(zxid)) stats.zxid = BigInt(zxid);
  const latency = fields.get('latency min/avg/max')?.split('/').map(Number);
  if (latency?.length === 3 && latency.every(Number.isFinite)) {
    stats.latency = { min: latency[0], avg: latency[1], max: latency[2] };
  }
  const integer = (key: string): number | undefined => {
    const value = fields.get(key);
    return value !== undefined && /^-?\d+$/.test(value) ? Number(value) : undefined;
  };
  assignDefined(stats, 'received', integer('received'));
  assignDefined(stats, 'sent', integer('sent'));
  assignDefined(stats, 'connections', integer('connections'));
  assignDefined(stats, 'outstanding', integer('outstanding'));
  assignDefined(stats, 'nodeCount', integer('node count'));
  return stats;
}

/** Parses the reply to `mntr` (tab-separated `zk_key value` lines); numeric values become numbers. */
export function parseMntr(text: string): Record<string, string | number> {
  const result: Record<string, string | number> = {};
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab <= 0) continue;
    const value = line.slice(tab + 1).trim();
    result[line.slice(0, tab).trim()] = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }
  return result;
}

function assignDefined<K extends keyof SrvrStats>(target: SrvrStats, key: K, value: SrvrStats[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}
