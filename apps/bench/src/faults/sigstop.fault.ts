import { LocalCluster } from '@app/cluster';
import { FAULT_HOLD_MS, FaultDriver, FaultSetup, FaultWindow, sleep, TARGET_REPLICA } from './fault-driver';

/** Lets the load reach full speed before the fault. */
const LEAD_MS = 1000;

/** A real SIGSTOP of the target for longer than any lease, then SIGCONT: a VM stall, a long GC. */
export class SigstopFault implements FaultDriver {
  readonly id = 'sigstop' as const;
  readonly seedsMarksAhead = true;

  async setup(): Promise<FaultSetup> {
    return {};
  }

  async inject(cluster: LocalCluster): Promise<FaultWindow> {
    await sleep(LEAD_MS);
    const startedAt = Date.now();
    await cluster.killReplica(TARGET_REPLICA, 'SIGSTOP');
    try {
      await sleep(FAULT_HOLD_MS);
    } finally {
      await cluster.killReplica(TARGET_REPLICA, 'SIGCONT');
    }
    return { startedAt, endedAt: Date.now(), note: `SIGSTOP of ${TARGET_REPLICA} for ${FAULT_HOLD_MS} ms` };
  }

  async cleanup(): Promise<void> {
    // SIGCONT is sent in inject's finally; a stopped process would otherwise never exit on SIGTERM.
  }
}
