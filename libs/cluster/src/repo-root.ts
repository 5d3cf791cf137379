import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The repository's root: the nearest folder upwards holding this project's package.json. Code
 * runs both from source (tsx, jest) and compiled into dist/, so a fixed `../..` is wrong in one of them.
 */
function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'ordernum') return dir;
    if (dirname(dir) === dir) throw new Error(`no ordernum package.json above ${start}`);
  }
}

export const REPO_ROOT = findRepoRoot(__dirname);
