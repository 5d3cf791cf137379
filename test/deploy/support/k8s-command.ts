import { spawnSync } from 'node:child_process';

/**
 * Kubernetes' own expansion of a container command: `$$` → `$`, `$(NAME)` → the container's
 * variable when defined, anything else left as written.
 */
export function expandLikeKubernetes(text: string, env: Record<string, string>): string {
  return text.replace(/\$(\$|\(([A-Za-z_][A-Za-z0-9_]*)\))/g, (reference: string, body: string, name: string | undefined) => {
    if (body === '$') return '$';
    return name !== undefined && name in env ? env[name] : reference;
  });
}

/**
 * Runs a `bash -c SCRIPT` container command with bash's trace on, in a pod named `podName`,
 * and returns the values it exported before its final `exec` (which fails harmlessly here:
 * the image's entrypoint does not exist on this machine).
 */
export function exportsOfShellCommand(command: readonly string[], podName: string): Record<string, string> {
  const [shell, flag, script] = command;
  if (shell !== 'bash' || flag !== '-c' || script === undefined) {
    throw new Error(`expected [bash, -c, script], got ${JSON.stringify(command)}`);
  }
  const run = spawnSync('bash', ['-x', '-c', expandLikeKubernetes(script, {})], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOSTNAME: podName },
    timeout: 10_000,
  });
  const exported = [...run.stderr.matchAll(/^\+ export ([A-Za-z_][A-Za-z0-9_]*)=(.*)$/gm)];
  return Object.fromEntries(exported.map(([, name, value]) => [name, value]));
}
