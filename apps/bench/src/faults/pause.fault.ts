import { LocalCluster } from '@app/cluster';
import { FAULT_HOLD_MS, FaultDriver, FaultNotInjectedError, FaultSetup, FaultWindow, sleep, TARGET_REPLICA } from './fault-driver';
import { waitFrozen, waitAnswering } from './replica-probe';

/** Lets the load reach full speed before the fault. */
const LEAD_MS = 1000;
/** How long the load has to bring the target to its next critical section once armed. */
const PAUSE_WITHIN_MS = 10_000;

/**
 * DESIGN §3's stop-the-world, once per cell: SIGUSR2 arms the target (FAULT_PAUSE_MS), and its
 * next critical section blocks its whole process between computing the next mark and writing
 * it. Armed rather than every N-th: group commit makes the critical sections per second follow
 * the load, and a count carried over from the previous cell of the same cluster could fall
 * before this cell watches. The window is seen from outside: the replica stops answering, then
 * answers again.
 */
export class PauseFault implements FaultDriver {
  readonly id = 'pause' as const;
  readonly seedsMarksAhead = true;

  async setup(): Promise<FaultSetup> {
    return { targetEnv: { FAULT_PAUSE_MS: String(FAULT_HOLD_MS) } };
  }

  async inject(cluster: LocalCluster): Promise<FaultWindow> {
    const url = cluster.state.replicas.find((replica) => replica.id === TARGET_REPLICA)!.http;
    await sleep(LEAD_MS);
    await cluster.killReplica(TARGET_REPLICA, 'SIGUSR2');
    const startedAt = await waitFrozen(url, PAUSE_WITHIN_MS);
    if (startedAt === undefined) throw new FaultNotInjectedError(`${TARGET_REPLICA} was armed but never paused (no critical section in ${PAUSE_WITHIN_MS} ms?)`);
    const endedAt = await waitAnswering(url, FAULT_HOLD_MS + 10_000);
    return { startedAt, endedAt, note: `${TARGET_REPLICA}'s next critical section after SIGUSR2 pauses it ${FAULT_HOLD_MS} ms` };
  }

  async cleanup(): Promise<void> {
    // Nothing outside the cluster: the pause lives in the replica's environment.
  }
}
