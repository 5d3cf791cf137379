/**
 * Compose substitutes `${NAME:-default}` from the caller's shell. The tests check what a bare
 * `docker compose up` would run, so each reference must carry a default and resolves to it.
 */
export function resolveWithDefaults(value: string): string {
  return value.replace(/\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)(:?-)([^}]*)\}|\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)/g,
    (reference: string, _body: string, name: string | undefined, _operator: string | undefined, fallback: string | undefined) => {
      if (reference === '$$') return '$';
      if (name === undefined || fallback === undefined) {
        throw new Error(`${reference} has no default: a bare \`docker compose up\` would leave it empty`);
      }
      return fallback;
    });
}
