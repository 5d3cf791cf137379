import { LocalCluster } from '@app/cluster';
import { ensureLibfaketime } from '@app/provisioning';
import { FaultDriver, FaultSetup, FaultWindow, TARGET_REPLICA } from './fault-driver';

/**
 * Below the replicas' MAX_CLOCK_SKEW_MS (1 s by default), so the skewed replica keeps issuing:
 * the harder case. Beyond it, the replica refuses to stamp and answers 503 (test/order-service/clock-skew.test.ts).
 */
const SKEW_MS = 600;

/**
 * The target runs under Debian's libfaketime with its wall clock `SKEW_MS` ahead or behind: a
 * real process with a wrong clock, not an offset inside the handler. Its monotonic clock is left
 * alone (Node's timers and the history's lease times run on it). The skew lasts the whole cell,
 * so there is no end to recover from: the recovery column says how soon it served at all.
 */
export class ClockSkewFault implements FaultDriver {
  readonly seedsMarksAhead = false;

  constructor(readonly id: 'clock-ahead' | 'clock-behind') {}

  async setup(): Promise<FaultSetup> {
    const seconds = (this.id === 'clock-ahead' ? SKEW_MS : -SKEW_MS) / 1000;
    return {
      targetEnv: {
        LD_PRELOAD: await ensureLibfaketime(),
        FAKETIME: `${seconds > 0 ? '+' : ''}${seconds}`,
        FAKETIME_DONT_FAKE_MONOTONIC: '1',
      },
    };
  }

  async inject(_cluster: LocalCluster): Promise<FaultWindow> {
    const now = Date.now();
    return { startedAt: now, endedAt: now, note: `${TARGET_REPLICA}'s wall clock ${this.id === 'clock-ahead' ? 'ahead' : 'behind'} by ${SKEW_MS} ms (libfaketime)` };
  }

  async cleanup(): Promise<void> {
    // The skew lives in the target's environment only.
  }
}
