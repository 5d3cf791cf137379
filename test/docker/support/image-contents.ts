import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockerCli } from '@app/provisioning';
import { REPO_ROOT } from '@app/cluster';

interface LockedPackage {
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
}

/** package-lock.json's `packages` below node_modules/, keyed by path (`node_modules/a/node_modules/b`). */
function lockedPackages(): Map<string, LockedPackage> {
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> };
  return new Map(Object.entries(lock.packages).filter(([path]) => path.startsWith('node_modules/')));
}

/** What `npm ci --omit=dev` must leave out (dev only) and must install (needed at run time, not optional). */
export function lockfileSplit(): { devOnly: Set<string>; required: Set<string>; all: Set<string> } {
  const packages = [...lockedPackages()];
  return {
    devOnly: new Set(packages.filter(([, entry]) => entry.dev).map(([path]) => path)),
    required: new Set(
      packages.filter(([, entry]) => !entry.dev && !entry.optional && !entry.devOptional && !entry.peer).map(([path]) => path),
    ),
    all: new Set(packages.map(([path]) => path)),
  };
}

// Runs inside the image: every directory under /app/node_modules that holds a package.json,
// nested node_modules included, as the lockfile names it.
const LIST_PACKAGES = `
const fs = require('node:fs');
const path = require('node:path');
const found = [];
const visit = (dir) => {
  if (fs.existsSync(path.join(dir, 'package.json'))) found.push(path.relative('/app', dir));
  walk(path.join(dir, 'node_modules'));
};
const walk = (dir) => {
  if (!fs.existsSync(dir)) return;
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (name.startsWith('@')) fs.readdirSync(full).forEach((scoped) => visit(path.join(full, scoped)));
    else visit(full);
  }
};
walk('/app/node_modules');
console.log(JSON.stringify(found));
`;

/** The packages installed in the image's /app/node_modules, read by the image's own node. */
export async function installedPackages(docker: DockerCli, image: string): Promise<Set<string>> {
  const stdout = await docker.run(['run', '--rm', '--network', 'host', '--entrypoint', 'node', image, '-e', LIST_PACKAGES]);
  return new Set(JSON.parse(stdout) as string[]);
}
