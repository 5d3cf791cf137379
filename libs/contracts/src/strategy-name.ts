/** The order-number strategies of DESIGN §2; the one list every schema and switch is checked against. */
export const STRATEGY_NAMES = [
  'none',
  'local',
  'zookeeper',
  'zookeeper-ephemeral',
  'redis',
  'redis-pregen',
  'snowflake',
] as const;

export type StrategyName = (typeof STRATEGY_NAMES)[number];

/** Strategies that promise no duplicate across replicas (the bench and the tests hold them to 0). */
export const UNIQUE_STRATEGIES: readonly StrategyName[] = [
  'zookeeper',
  'zookeeper-ephemeral',
  'redis',
  'redis-pregen',
  'snowflake',
];
