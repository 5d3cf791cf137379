import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { chromium, Browser } from 'playwright-core';

const run = promisify(execFile);

/** Debian's headless shell first (no X, installs in about a minute), the full browser if that is what the machine has. */
const CANDIDATES = ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'];
const PACKAGE = 'chromium-headless-shell';

/**
 * What MACHINE-NOTES "Browser tests" prescribes: no sandbox (root in a container), and nothing
 * that reaches for the network on its own (these machines have none to offer).
 */
export const BROWSER_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false; // absent or not executable: try the next
  }
}

/**
 * The browser's path, installing Debian's `chromium-headless-shell` when none is there, the way
 * global-setup installs ZooKeeper and Redis (as root on Debian; otherwise the error says how).
 */
export async function ensureBrowser(): Promise<string> {
  const found = CANDIDATES.find(executable);
  if (found) return found;
  if (!existsSync('/etc/debian_version') || process.getuid?.() !== 0) {
    throw new Error(`no headless Chromium in ${CANDIDATES.join(' or ')}: sudo apt-get update && sudo apt-get install -y ${PACKAGE}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update'], { env, maxBuffer: 64 * 1024 * 1024 });
  await run('apt-get', ['install', '-y', '--no-install-recommends', PACKAGE], { env, maxBuffer: 64 * 1024 * 1024 });
  const installed = CANDIDATES.find(executable);
  if (!installed) throw new Error(`apt-get installed ${PACKAGE} but none of ${CANDIDATES.join(', ')} is executable`);
  return installed;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: await ensureBrowser(), headless: true, args: BROWSER_FLAGS });
}
