/** The order-number strategies of DESIGN §2; the one list every schema and switch is checked against. */
export const STRATEGY_NAMES = [
  'none',
  'local',
  'zookeeper',
  'zookeeper-ephemeral',
  'redis',
  'redis-pregen',
  'snowflake',
  'redlock',
  'db-lock',
  'db-segment',
] as const;

export type StrategyName = (typeof STRATEGY_NAMES)[number];

/**
 * Strategies that promise no duplicate across replicas (the bench and the tests hold them to 0).
 * Not `redlock`: npm `redlock` hands out no fencing token, so a holder paused past its TTL, or
 * across a strategy switch, writes unchecked (DESIGN §2); it is a reference row, not a guarantee.
 */
export const UNIQUE_STRATEGIES: readonly StrategyName[] = [
  'zookeeper',
  'zookeeper-ephemeral',
  'redis',
  'redis-pregen',
  'snowflake',
  'db-lock',
  'db-segment',
];

/** Strategies that need MariaDB: while one is in force /health asks the database, otherwise nobody connects. */
export function usesDatabase(name: StrategyName): boolean {
  return name === 'db-lock' || name === 'db-segment';
}

