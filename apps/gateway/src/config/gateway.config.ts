import { z } from 'zod';
import { parseConfig, portSchema } from '@app/config';

export const LB_POLICIES = ['round-robin', 'random', 'least-active'] as const;
export type LbPolicyName = (typeof LB_POLICIES)[number];

/**
 * The gateway's configuration: the only place that reads `process.env`.
 * docker-compose.yml, k8s/ and the local cluster set exactly these names.
 */
export const gatewayEnvSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  GATEWAY_PORT: portSchema.default(3000),
  ZK_CONNECT: z.string().min(1).default('127.0.0.1:2181'),
  ZK_ROOT: z.string().regex(/^\/[A-Za-z0-9._/-]*[^/]$/, 'an absolute znode path without a trailing /').default('/ordernum'),
  ZK_SESSION_TIMEOUT_MS: z.coerce.number().int().min(1000).max(60000).default(4000),
  LB_POLICY: z.enum(LB_POLICIES, {
    errorMap: () => ({ message: `must be one of: ${LB_POLICIES.join(', ')}` }),
  }).default('round-robin'),
  /** Longer than the replicas' REQUEST_TIMEOUT_MS, so that their own 503 reaches the caller. */
  RPC_TIMEOUT_MS: z.coerce.number().int().min(50).max(600000).default(10000),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug']).default('log'),
});

/** Every variable the gateway reads; deployment files are cross-checked against it. */
export const GATEWAY_ENV_VARS = Object.keys(gatewayEnvSchema.shape);

export type GatewayConfig = z.infer<typeof gatewayEnvSchema>;

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return parseConfig(gatewayEnvSchema, env);
}
