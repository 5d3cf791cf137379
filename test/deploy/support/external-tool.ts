import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './repo-files';

/** The absolute path of an executable found on PATH, or undefined. */
export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory; keep looking in the next one.
    }
  }
  return undefined;
}

/** `docker-compose` (v1), else the `docker compose` plugin (v2) when it answers. */
export function findComposeCommand(): string[] | undefined {
  const standalone = findOnPath('docker-compose');
  if (standalone) return [standalone];
  const docker = findOnPath('docker');
  if (docker && spawnSync(docker, ['compose', 'version'], { encoding: 'utf8' }).status === 0) {
    return [docker, 'compose'];
  }
  return undefined;
}

export interface ToolRun {
  status: number | null;
  output: string;
}

/** Runs a command from the repository root with a deadline, collecting stdout and stderr. */
export function runTool(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ToolRun {
  const [command, ...args] = argv;
  const result = spawnSync(command, args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000, env });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}` };
}

/**
 * A test that needs an external binary. Without it the test is skipped with the reason in its
 * title, so that a machine without the tool reports a skip, never a silent pass.
 */
export function testWithTool(
  tool: string[] | undefined,
  title: string,
  missingReason: string,
  body: (argv: string[]) => void,
): void {
  if (tool) test(title, () => body(tool));
  else test.skip(`${title} — SKIPPED: ${missingReason}`, () => undefined);
}
