import { Connection, createConnection } from 'mysql2/promise';
import { LocalCluster } from '@app/cluster';
import { isNoNode, isNotEmpty, ZnodeShell } from '@app/zookeeper';
import { FaultWindow, sleep } from './fault-driver';

/** Lets the load reach full speed before the operator starts. */
const LEAD_MS = 1000;

/** What an operator does to a running cluster, round after round: each round says what it did. */
export interface OperatorRounds {
  rounds: ReadonlyArray<() => Promise<string>>;
  /** Between two rounds: long enough for the replicas to have used what the last round changed. */
  gapMs: number;
  /** Closes the operator's own connections. */
  close(): Promise<void>;
}

/** How a round's note counts what it touched: "1 node", "4 nodes". */
export function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Runs the rounds once the load is up; the window spans them, and recovery counts from the last one. */
export async function runOperatorRounds(operator: OperatorRounds): Promise<FaultWindow> {
  try {
    await sleep(LEAD_MS);
    const startedAt = Date.now();
    const done: string[] = [];
    for (const [index, round] of operator.rounds.entries()) {
      if (index > 0) await sleep(operator.gapMs);
      done.push(await round());
    }
    return { startedAt, endedAt: Date.now(), note: `${done.join('; ')} (${operator.gapMs} ms apart)` };
  } finally {
    await operator.close();
  }
}

/**
 * zkCli's `deleteall` against a busy folder, once: every node under it as listed, deepest first,
 * then the folder. The replicas create nodes meanwhile, so a folder is often NOT_EMPTY by the time
 * its turn comes; it stays, and what the fault is about is gone: the nodes that were there.
 * (Retrying until the folder itself goes, as an operator might, never ends under load.)
 */
export async function deleteAllUnderLoad(shell: ZnodeShell, folder: string): Promise<number> {
  const nodes = await listedOrNone(shell.lsRecursive(folder));
  let deleted = 0;
  for (const node of nodes.reverse()) {
    try {
      await shell.delete(node);
      deleted += 1;
    } catch (error) {
      if (!isNoNode(error) && !isNotEmpty(error)) throw error; // gone already, or refilled meanwhile
    }
  }
  return deleted;
}

/** zkCli's `set` of every child of `folder` that is there when listed; says how many it rewrote. */
export async function setChildren(shell: ZnodeShell, folder: string, data: string): Promise<number> {
  const children = await listedOrNone(shell.ls(folder));
  let written = 0;
  for (const child of children) {
    try {
      await shell.set(`${folder}/${child}`, data);
      written += 1;
    } catch (error) {
      if (!isNoNode(error)) throw error; // released meanwhile: nothing to rewrite
    }
  }
  return written;
}

/** What a listing found; nothing when the folder is gone (deleted by the round before, and not needed again yet). */
async function listedOrNone(listing: Promise<string[]>): Promise<string[]> {
  try {
    return await listing;
  } catch (error) {
    if (isNoNode(error)) return [];
    throw error;
  }
}

/** MariaDB's ER_NO_SUCH_THREAD: the connection ended before the operator's KILL reached it. */
const NO_SUCH_THREAD = 1094;

/** The operator's own MariaDB session, as root on the cluster's database (the local cluster has no other user). */
export function mariadbAdmin(cluster: LocalCluster): Promise<Connection> {
  return createConnection(cluster.mariadb.url);
}

/** `KILL CONNECTION` of each id; says how many it killed (one that ended meanwhile is not counted). */
export async function killConnections(admin: Connection, ids: readonly number[]): Promise<number> {
  let killed = 0;
  for (const id of new Set(ids)) {
    try {
      await admin.query('KILL CONNECTION ?', [id]);
      killed += 1;
    } catch (error) {
      if ((error as { errno?: unknown }).errno !== NO_SUCH_THREAD) throw error;
    }
  }
  return killed;
}
