/**
 * Stand-ins for the credentials compose requires (`${NAME:?message}`, from a `.env` that is never
 * committed): the tests check the file with these, as `docker compose up` would run with a `.env`.
 */
export const SAMPLE_SECRETS: Readonly<Record<string, string>> = {
  ADMIN_TOKEN: 'sample-admin-token-0123456789',
  ZK_AUTH: 'ordernum:sample-zk-password',
  REDIS_PASSWORD: 'sample-redis-password',
  MARIADB_PASSWORD: 'sample-mariadb-password',
};

/**
 * Compose substitutes `${NAME:-default}` from the caller's shell. The tests check what a bare
 * `docker compose up` would run, so each reference must carry a default and resolves to it; the
 * only exceptions are the credentials, required (`${NAME:?message}`) and resolved to their samples.
 */
export function resolveWithDefaults(value: string): string {
  return value.replace(/\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?])([^}]*)\}|\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)/g,
    (reference: string, _body: string, name: string | undefined, operator: string | undefined, fallback: string | undefined) => {
      if (reference === '$$') return '$';
      if (name !== undefined && operator?.endsWith('?')) {
        if (SAMPLE_SECRETS[name] === undefined) throw new Error(`${reference} is required but is not one of the credentials`);
        return SAMPLE_SECRETS[name];
      }
      if (name === undefined || fallback === undefined) {
        throw new Error(`${reference} has no default: a bare \`docker compose up\` would leave it empty`);
      }
      return fallback;
    });
}
