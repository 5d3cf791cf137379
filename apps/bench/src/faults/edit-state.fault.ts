import { Connection, ResultSetHeader } from 'mysql2/promise';
import { LocalCluster } from '@app/cluster';
import { StrategyName, ZookeeperPaths, zookeeperRoot } from '@app/contracts';
import { ZnodeShell, ZookeeperSession } from '@app/zookeeper';
import { FaultDriver, FaultSetup, FaultWindow } from './fault-driver';
import { counted, deleteAllUnderLoad, mariadbAdmin, OperatorRounds, runOperatorRounds, setChildren } from './operator-rounds';

/** MariaDB's ER_NO_SUCH_TABLE: dropped in the round before, and no replica has needed it since. */
const NO_SUCH_TABLE = 1146;
/** What an operator's `set` leaves in a node: nothing the replicas wrote. */
const EDITED = '{"editedBy":"an operator"}';

/** The strategies that keep something besides a lock node or key that an operator can delete or rewrite. */
export const EDITABLE_STATE: readonly StrategyName[] = ['zookeeper-ephemeral', 'snowflake', 'db-lock', 'db-segment'];

/**
 * An operator deleting or rewriting, under load, what a strategy keeps besides its lock, in
 * three rounds:
 * - `db-lock`: `DELETE FROM lock_tokens`, `DROP TABLE lock_tokens`, `DELETE FROM` again: the
 *   fencing tokens start again from 1 below the fence;
 * - `db-segment`: the same on `segment_ledger`: the end of every segment ever allocated is gone;
 * - `snowflake`: `deleteall /worker-state`, `set` of every record, `deleteall` again: the
 *   workers' reserved milliseconds are gone or no longer at the version their holders wrote;
 * - `zookeeper-ephemeral`: `set` of every lock node, three times: the holder's marker is gone.
 * Each must heal without a restart (no 500, the target issues again) and hand out no number
 * twice: what was lost must not bring back numbers already used.
 */
export class EditStateFault implements FaultDriver {
  readonly id = 'edit-state' as const;
  readonly seedsMarksAhead = true;

  async setup(): Promise<FaultSetup> {
    return {};
  }

  async inject(cluster: LocalCluster, strategy: StrategyName): Promise<FaultWindow> {
    return runOperatorRounds(await this.operator(cluster, strategy));
  }

  async cleanup(): Promise<void> {
    // Nothing outside the cluster: what the operator removed, the replicas write again.
  }

  private async operator(cluster: LocalCluster, strategy: StrategyName): Promise<OperatorRounds> {
    switch (strategy) {
      case 'db-lock':
      case 'db-segment':
        return tableEdits(await mariadbAdmin(cluster), strategy === 'db-lock' ? 'lock_tokens' : 'segment_ledger');
      case 'snowflake':
      case 'zookeeper-ephemeral':
        return nodeEdits(cluster, strategy);
      default:
        throw new Error(`edit-state: ${strategy} keeps nothing an operator can edit besides its lock`);
    }
  }
}

/**
 * Rows, table, rows. A second apart: a db-segment replica allocates about once a second per
 * business line (its step aims at that), so each edit is met by allocations before the next.
 */
function tableEdits(admin: Connection, table: string): OperatorRounds {
  const deleteRows = async () => {
    try {
      const [result] = await admin.query<ResultSetHeader>(`DELETE FROM ${table}`);
      return `DELETE FROM ${table}: ${counted(result.affectedRows, 'row')}`;
    } catch (error) {
      if ((error as { errno?: unknown }).errno !== NO_SUCH_TABLE) throw error;
      return `DELETE FROM ${table}: not created again yet`;
    }
  };
  const dropTable = async () => {
    await admin.query(`DROP TABLE IF EXISTS ${table}`);
    return `DROP TABLE ${table}`;
  };
  return { rounds: [deleteRows, dropTable, deleteRows], gapMs: 1000, close: () => admin.end() };
}

/**
 * Snowflake's records deleted, rewritten, deleted, 2.5 s apart: a holder writes its window's end
 * every second or so under load, and must have met each edit before the next. The ephemeral lock's
 * nodes rewritten three times, 500 ms apart, as `delete-lock` deletes them.
 */
async function nodeEdits(cluster: LocalCluster, strategy: 'snowflake' | 'zookeeper-ephemeral'): Promise<OperatorRounds> {
  const paths = new ZookeeperPaths(zookeeperRoot());
  const session = await ZookeeperSession.open({ connect: cluster.state.zookeeper, sessionTimeoutMs: 10_000 });
  const shell = new ZnodeShell(() => session.api(), paths.root);
  const close = () => session.close();
  const rewrite = (folder: string) => async () => `set of ${counted(await setChildren(shell, folder, EDITED), 'node')} in ${folder}`;
  if (strategy === 'zookeeper-ephemeral') {
    const setLocks = rewrite(paths.ephemeralLocks);
    return { rounds: [setLocks, setLocks, setLocks], gapMs: 500, close };
  }
  const folder = paths.workerStates;
  const deleteRecords = async () => `deleteall ${folder}: ${counted(await deleteAllUnderLoad(shell, folder), 'node')}`;
  return { rounds: [deleteRecords, rewrite(folder), deleteRecords], gapMs: 2500, close };
}
