import { z } from 'zod';
import { STRATEGY_NAMES } from './strategy-name';
import { businessLinesSchema, envIntegerSchema, logLevelSchema, onOffSchema, parseConfig, portSchema, redisMasterNameSchema, redisSentinelsSchema, zkAuthSchema, zkConnectSchema, zkRootSchema } from '@app/config';

/**
 * The order service's configuration: the only place that reads `process.env`.
 * docker-compose.yml, k8s/ and the local cluster set exactly these names.
 */
const orderServiceEnvShape = z.object({
    ORDER_STRATEGY: z.enum(STRATEGY_NAMES, {
      errorMap: () => ({ message: `must be one of: ${STRATEGY_NAMES.join(', ')}` }),
    }).default('zookeeper'),
    BUSINESS_LINES: businessLinesSchema.default('1001,2001,3001,4001'),
    REPLICA_ID: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - (1..64)').optional(),
    HOST: z.string().min(1).default('127.0.0.1'),
    /** The address other processes reach this replica at (registry data); defaults to HOST. */
    ADVERTISE_HOST: z.string().min(1).optional(),
    HTTP_PORT: portSchema.default(3101),
    TCP_PORT: portSchema.default(4101),
    ZK_CONNECT: zkConnectSchema.default('127.0.0.1:2181'),
    ZK_ROOT: zkRootSchema.default('/ordernum'),
    ZK_SESSION_TIMEOUT_MS: envIntegerSchema(1000, 60000).default(4000),
    /** ZooKeeper digest credentials (`user:password`): the nodes this replica creates are then writable by their holder only. */
    ZK_AUTH: zkAuthSchema.optional(),
    /** `redis://[:password@]host:port[/db]`: a Redis with `requirepass` takes the password here. */
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'a redis:// URL').default('redis://127.0.0.1:6379'),
    /**
     * Redis Sentinels (`host:port,...`): when set, the replica asks them for the primary of
     * REDIS_MASTER_NAME and follows its failovers; REDIS_URL then gives only the password (which
     * the Sentinels take too) and the database, not the address.
     */
    REDIS_SENTINELS: redisSentinelsSchema.optional(),
    REDIS_MASTER_NAME: redisMasterNameSchema.default('ordernum'),
    /**
     * After each write that a number depends on, wait until so many replicas of Redis have it
     * (`WAIT`), or refuse the number: an asynchronous failover then cannot lose what was handed out.
     */
    REDIS_WAIT_REPLICAS: envIntegerSchema(0, 16).default(0),
    REDIS_WAIT_TIMEOUT_MS: envIntegerSchema(1, 600000).default(1000),
    REDIS_PREFIX: z.string().min(1).default('ordernum:'),
    /** MariaDB of the database strategies (`db-lock`, `db-segment`); connected only while one is in force. */
    DATABASE_URL: z.string().regex(/^mysql:\/\/[^/]+\/[A-Za-z0-9_]+$/, 'a mysql://user[:password]@host:port/database URL')
      .default('mysql://root@127.0.0.1:3306/ordernum'),
    /** Connections per replica; every `db-lock` waiter holds one while it waits in GET_LOCK. */
    DATABASE_POOL_SIZE: envIntegerSchema(1, 1000).default(64),
    LOCK_FENCING: onOffSchema.default('on'),
    LOCK_TTL_MS: envIntegerSchema(50, 600000).default(2000),
    LOCK_WAIT_MS: envIntegerSchema(10, 600000).default(5000),
    /** Requests of one business line served by one critical section at most (group commit, DESIGN §2); 1 = one lock per order. */
    LOCK_BATCH_MAX: envIntegerSchema(1, 1000).default(64),
    REQUEST_TIMEOUT_MS: envIntegerSchema(50, 600000).default(8000),
    /** How long an answer given under an Idempotency-Key is replayed to a retry with that key (24 h). */
    IDEMPOTENCY_TTL_S: envIntegerSchema(1, 30 * 24 * 3600).default(86400),
    POOL_SIZE: envIntegerSchema(10, 1000000).default(20000),
    POOL_LOW_WATER: envIntegerSchema(1, 1000000).default(10000),
    FAULT_PAUSE_EVERY: envIntegerSchema(0, Number.MAX_SAFE_INTEGER).default(0),
    FAULT_PAUSE_MS: envIntegerSchema(0, 600000).default(0),
    /** Tests only: SIGKILL the process after an answer under an Idempotency-Key is stored, before it is sent. */
    FAULT_KILL_BEFORE_ANSWER: onOffSchema.default('off'),
    /** Beyond this offset from ZooKeeper's time (measured, plus its uncertainty) a replica refuses to stamp numbers. */
    MAX_CLOCK_SKEW_MS: envIntegerSchema(1, 600000).default(1000),
    /** Shifts this process's clock by so many ms (tests of the skew guard; 0 = the real clock). */
    FAULT_CLOCK_OFFSET_MS: envIntegerSchema(-86400000, 86400000).default(0),
    /**
     * `npm run faults` only: a directory where this replica appends one JSON line per number it
     * issues (the lease it held, the times) for the history checker; unset, nothing is recorded.
     */
    HISTORY_DIR: z.string().regex(/^\//, 'an absolute path').optional(),
    LOG_LEVEL: logLevelSchema.default('log'),
});

/** Every variable the order service reads; deployment files are cross-checked against it. */
export const ORDER_SERVICE_ENV_VARS = Object.keys(orderServiceEnvShape.shape);

export const orderServiceEnvSchema = orderServiceEnvShape
  .refine((env) => env.POOL_LOW_WATER < env.POOL_SIZE, {
    message: 'must be below POOL_SIZE',
    path: ['POOL_LOW_WATER'],
  });

export type OrderServiceConfig = z.infer<typeof orderServiceEnvSchema>;

export function loadOrderServiceConfig(env: NodeJS.ProcessEnv = process.env): OrderServiceConfig {
  return parseConfig(orderServiceEnvSchema, env);
}
