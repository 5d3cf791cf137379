import { StrategyName } from '@app/contracts';

/**
 * A row's name in the table, the report and the orders file: the strategy, marked when keys were
 * on, or when the lock was taken once per order (`lockBatchMax` 1, no group commit: DESIGN §2).
 */
export function rowLabel(strategy: StrategyName, idempotencyKeys: boolean, lockBatchMax?: number): string {
  if (idempotencyKeys) return `${strategy}+keys`;
  return lockBatchMax === 1 ? `${strategy}-unbatched` : strategy;
}
