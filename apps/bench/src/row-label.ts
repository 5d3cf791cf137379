import { StrategyName } from '@app/contracts';

/** A row's name in the table, the report and the orders file: the strategy, marked when keys were on. */
export function rowLabel(strategy: StrategyName, idempotencyKeys: boolean): string {
  return idempotencyKeys ? `${strategy}+keys` : strategy;
}
