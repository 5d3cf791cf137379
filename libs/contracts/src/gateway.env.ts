import { z } from 'zod';
import { adminTokenSchema, envIntegerSchema, logLevelSchema, parseConfig, portSchema, zkAuthSchema, zkConnectSchema, zkRootSchema } from '@app/config';

export const LB_POLICIES = ['round-robin', 'random', 'least-active'] as const;
export type LbPolicyName = (typeof LB_POLICIES)[number];

/**
 * The gateway's configuration: the only place that reads `process.env`.
 * docker-compose.yml, k8s/ and the local cluster set exactly these names.
 */
export const gatewayEnvSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  GATEWAY_PORT: portSchema.default(3000),
  ZK_CONNECT: zkConnectSchema.default('127.0.0.1:2181'),
  ZK_ROOT: zkRootSchema.default('/ordernum'),
  ZK_SESSION_TIMEOUT_MS: envIntegerSchema(1000, 60000).default(4000),
  /** ZooKeeper digest credentials (`user:password`); unset, the gateway's writes leave nodes open to all. */
  ZK_AUTH: zkAuthSchema.optional(),
  /** Bearer token of every operator write and of the reads that expose servers or clients; unset, they are open. */
  ADMIN_TOKEN: adminTokenSchema.optional(),
  LB_POLICY: z.enum(LB_POLICIES, {
    errorMap: () => ({ message: `must be one of: ${LB_POLICIES.join(', ')}` }),
  }).default('round-robin'),
  /** Longer than the replicas' REQUEST_TIMEOUT_MS, so that their own 503 reaches the caller. */
  RPC_TIMEOUT_MS: envIntegerSchema(50, 600000).default(10000),
  LOG_LEVEL: logLevelSchema.default('log'),
});

/** Every variable the gateway reads; deployment files are cross-checked against it. */
export const GATEWAY_ENV_VARS = Object.keys(gatewayEnvSchema.shape);

export type GatewayConfig = z.infer<typeof gatewayEnvSchema>;

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return parseConfig(gatewayEnvSchema, env);
}
