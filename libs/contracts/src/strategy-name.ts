/** The order-number strategies of DESIGN §2; the one list every schema and switch is checked against. */
export const STRATEGY_NAMES = [
  'none',
  'local',
  'zookeeper',
  'zookeeper-ephemeral',
  'redis',
  'redis-pregen',
  'snowflake',
  'db-lock',
  'db-segment',
] as const;

export type StrategyName = (typeof STRATEGY_NAMES)[number];

/** Strategies that promise no duplicate across replicas (the bench and the tests hold them to 0). */
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

/**
 * Strategies whose numbers can meet in one millisecond: the Redis ledger's (sequence 0000–9999,
 * pools included, which are generated from the ledger), snowflake's (worker ID + sequence) and the
 * MariaDB segment ledger's (`db-segment`, sequence 0000–9999 again) use the same four suffix
 * digits, so a switch between two families must not overlap in time. `db-lock` guards the Redis
 * ledger like the other locks, so it is of the ledger family.
 */
export function numberFamily(name: StrategyName): NumberFamily {
  if (name === 'snowflake') return 'snowflake';
  if (name === 'db-segment') return 'segment';
  return 'ledger';
}

export type NumberFamily = 'ledger' | 'snowflake' | 'segment';
