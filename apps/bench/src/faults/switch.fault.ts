import { LocalCluster } from '@app/cluster';
import { StrategyName } from '@app/contracts';
import { switchStrategy } from '../strategy-switch';
import { FaultDriver, FaultSetup, FaultWindow, sleep } from './fault-driver';

/** Lets the load reach full speed before the fault. */
const LEAD_MS = 1000;
/** How long the cluster issues under the other strategy before it is switched back. */
const AWAY_MS = 1500;
const SWITCH_DEADLINE_MS = 30_000;

/**
 * The other end of a switch: always another number family (DESIGN §2), so that each switch hands
 * the high-water mark over from one family to another, the case a switch can get wrong.
 */
export function switchPartner(strategy: StrategyName): StrategyName {
  return strategy === 'snowflake' ? 'redis' : 'snowflake';
}

/**
 * An operator's hot switch under load: the cell's strategy to its partner through the config
 * center, and back once the partner has issued a while. Every replica follows both switches;
 * the numbers of both strategies are checked together.
 */
export class SwitchFault implements FaultDriver {
  readonly id = 'switch' as const;
  readonly seedsMarksAhead = false;

  async setup(): Promise<FaultSetup> {
    return {};
  }

  issuedUnder(strategy: StrategyName): StrategyName[] {
    return [strategy, switchPartner(strategy)];
  }

  async inject(cluster: LocalCluster, strategy: StrategyName): Promise<FaultWindow> {
    const partner = switchPartner(strategy);
    await sleep(LEAD_MS);
    const startedAt = Date.now();
    await switchStrategy(cluster.state, partner, { deadlineMs: SWITCH_DEADLINE_MS });
    await sleep(AWAY_MS);
    await switchStrategy(cluster.state, strategy, { deadlineMs: SWITCH_DEADLINE_MS });
    return { startedAt, endedAt: Date.now(), note: `switched to ${partner} under load, back to ${strategy} ${AWAY_MS} ms later` };
  }

  async cleanup(): Promise<void> {
    // The next cell switches to its own strategy anyway.
  }
}
