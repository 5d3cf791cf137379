import type { ZodTypeAny } from 'zod';
import {
  ORDER_SERVICE_ENV_VARS,
  orderServiceEnvSchema,
} from '@app/contracts';
import { GATEWAY_ENV_VARS, gatewayEnvSchema } from '@app/contracts';

export type Env = Record<string, string>;
export type AppName = 'order-service' | 'gateway';

interface AppConfig {
  names: readonly string[];
  schema: ZodTypeAny;
}

/** The apps' own config schemas: deployment files must speak exactly their language. */
const APPS: Record<AppName, AppConfig> = {
  'order-service': { names: ORDER_SERVICE_ENV_VARS, schema: orderServiceEnvSchema },
  gateway: { names: GATEWAY_ENV_VARS, schema: gatewayEnvSchema },
};

export const APP_NAMES = Object.keys(APPS) as AppName[];

/** Variables the app would silently ignore (a typo, or a name meant for the other app). */
export function unknownEnvNames(app: AppName, env: Env): string[] {
  return Object.keys(env).filter((name) => !APPS[app].names.includes(name));
}

/** What the app's schema would reject at start-up, one "NAME: reason" per problem. */
export function envProblems(app: AppName, env: Env): string[] {
  const result = APPS[app].schema.safeParse(env);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`);
}
