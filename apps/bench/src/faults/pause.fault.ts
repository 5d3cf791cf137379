import { LocalCluster } from '@app/cluster';
import { FAULT_HOLD_MS, FaultDriver, FaultNotInjectedError, FaultSetup, FaultWindow, TARGET_REPLICA } from './fault-driver';
import { waitFrozen, waitAnswering } from './replica-probe';

/** The target's critical sections between two pauses; the first falls early in the measured run. */
const PAUSE_EVERY = 200;
/** How long the load has to bring the target to its next pause. */
const PAUSE_WITHIN_MS = 20_000;

/**
 * DESIGN §3's stop-the-world: every PAUSE_EVERY-th critical section of the target blocks its
 * whole process (FAULT_PAUSE_EVERY / FAULT_PAUSE_MS) between computing the next mark and writing
 * it. The window is seen from outside: the replica stops answering, then answers again.
 */
export class PauseFault implements FaultDriver {
  readonly id = 'pause' as const;
  readonly seedsMarksAhead = true;

  async setup(): Promise<FaultSetup> {
    return { targetEnv: { FAULT_PAUSE_EVERY: String(PAUSE_EVERY), FAULT_PAUSE_MS: String(FAULT_HOLD_MS) } };
  }

  async inject(cluster: LocalCluster): Promise<FaultWindow> {
    const url = cluster.state.replicas.find((replica) => replica.id === TARGET_REPLICA)!.http;
    const startedAt = await waitFrozen(url, PAUSE_WITHIN_MS);
    if (startedAt === undefined) throw new FaultNotInjectedError(`${TARGET_REPLICA} never paused (fewer than ${PAUSE_EVERY} critical sections?)`);
    const endedAt = await waitAnswering(url, FAULT_HOLD_MS + 10_000);
    return { startedAt, endedAt, note: `every ${PAUSE_EVERY}th critical section of ${TARGET_REPLICA} pauses it ${FAULT_HOLD_MS} ms` };
  }

  async cleanup(): Promise<void> {
    // Nothing outside the cluster: the pause lives in the replica's environment.
  }
}
