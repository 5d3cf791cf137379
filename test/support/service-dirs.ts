import { join } from 'node:path';
import { REPO_ROOT } from '@app/cluster';

/**
 * Data directory of the servers started by this process. The pid keeps concurrent `jest` runs
 * (and their workers) apart; `.services/` is gitignored.
 */
export function serviceDir(...parts: string[]): string {
  return join(REPO_ROOT, '.services', `test-${process.pid}`, ...parts);
}
