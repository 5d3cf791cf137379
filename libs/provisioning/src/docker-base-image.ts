import { createHash } from 'node:crypto';
import { appendFileSync, chownSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { ensureProgram } from './debian-packages';
import { DockerCli } from './docker-cli';
import { runCommand } from './run-command';

export interface BaseImageOptions {
  /** Absolute; scratch space for the root file system while it is made (about 500 MB). */
  workDir: string;
  /** Where the saved image is kept between runs; default ordernumCacheDir('docker-base'). */
  cacheDir?: string;
}

export interface BaseImage {
  /** What `--build-arg NODE_IMAGE=` takes. */
  tag: string;
  /** Where it came from: already in the daemon, loaded from the cache, or made by debootstrap now. */
  source: 'daemon' | 'cache' | 'made';
}

const SUITE = 'bookworm';
// Bumped whenever the recipe below changes, so that an old cached image is not reused.
const RECIPE = 1;
const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/** $XDG_CACHE_HOME/ordernum/... (default ~/.cache): kept between runs on this machine. */
export function ordernumCacheDir(...parts: string[]): string {
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'ordernum', ...parts);
}

/**
 * A stand-in for `node:20-bookworm-slim` made on this machine, where no image registry is
 * reachable: Debian bookworm (`debootstrap --variant=minbase`) with this machine's own Node
 * (Debian's `nodejs` is 18, too old) and npm at the same paths, a `node` user 1000, and this
 * machine's CA bundle, through which npm reaches its registry here. Cached with `docker save`,
 * keyed by what goes into it: `docker import` stamps the image with the time of the import, so
 * only a loaded copy is the same image from run to run, which the build cache relies on.
 */
export async function ensureBaseImage(docker: DockerCli, options: BaseImageOptions): Promise<BaseImage> {
  const node = thisMachinesNode();
  const cacheDir = options.cacheDir ?? ordernumCacheDir('docker-base');
  const key = createHash('sha256')
    .update(JSON.stringify([RECIPE, SUITE, node.version, node.npmVersion]))
    .update(node.caBundle ? readFileSync(node.caBundle) : '')
    .digest('hex')
    .slice(0, 12);
  const name = `${SUITE}-node${node.version.slice(1)}-${key}`;
  const tag = `ordernum-test-base:${name}`;
  const saved = join(cacheDir, `${name}.image.tar`);
  if (await docker.hasImage(tag)) return { tag, source: 'daemon' };
  if (existsSync(saved)) {
    await docker.load(saved);
    return { tag, source: 'cache' };
  }
  const rootfsTarball = join(options.workDir, 'rootfs.tar');
  await makeRootfsTarball(node, rootfsTarball, options.workDir);
  const changes = ['ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'CMD ["node"]'];
  if (node.caBundle) changes.push(`ENV NODE_EXTRA_CA_CERTS=${CA_BUNDLE}`);
  await docker.run(['import', ...changes.flatMap((change) => ['--change', change]), rootfsTarball, tag], { timeoutMs: 5 * 60_000 });
  rmSync(rootfsTarball, { force: true });
  await docker.save([tag], saved);
  for (const stale of readdirSync(cacheDir).filter((file) => file.endsWith('.tar') && join(cacheDir, file) !== saved)) {
    rmSync(join(cacheDir, stale), { force: true });
  }
  return { tag, source: 'made' };
}

interface NodeInstall {
  binary: string;
  version: string;
  npmDir: string;
  npmVersion: string;
  /** `<prefix>/bin/npm` and `npx`: their symlink targets, relative as on this machine. */
  links: { path: string; target: string }[];
  caBundle?: string;
}

function thisMachinesNode(): NodeInstall {
  const binary = process.execPath;
  const prefix = dirname(dirname(binary));
  const npmDir = join(prefix, 'lib', 'node_modules', 'npm');
  if (!existsSync(join(npmDir, 'package.json'))) {
    throw new Error(`npm not found at ${npmDir}: the base image copies the npm installed beside ${binary}`);
  }
  const links = ['npm', 'npx'].map((name) => ({ path: join(prefix, 'bin', name), target: readlinkSync(join(prefix, 'bin', name)) }));
  const npmVersion = (JSON.parse(readFileSync(join(npmDir, 'package.json'), 'utf8')) as { version: string }).version;
  return { binary, version: process.version, npmDir, npmVersion, links, caBundle: existsSync(CA_BUNDLE) ? CA_BUNDLE : undefined };
}

async function makeRootfsTarball(node: NodeInstall, tarball: string, workDir: string): Promise<void> {
  const debootstrap = await ensureProgram('debootstrap', 'debootstrap');
  const rootfs = join(workDir, 'rootfs');
  const log = join(workDir, 'debootstrap.log');
  mkdirSync(workDir, { recursive: true });
  rmSync(rootfs, { recursive: true, force: true });
  try {
    await runCommand(debootstrap, ['--variant=minbase', SUITE, rootfs], { logFile: log, timeoutMs: 15 * 60_000 });
    // The downloaded packages and lists are of no use in an image (slim images drop them too).
    for (const dir of ['var/cache/apt/archives', 'var/lib/apt/lists']) {
      for (const entry of readdirSync(join(rootfs, dir)).filter((name) => name !== 'partial' && name !== 'lock')) {
        rmSync(join(rootfs, dir, entry), { recursive: true, force: true });
      }
    }
    const inside = (path: string): string => join(rootfs, path);
    mkdirSync(dirname(inside(node.binary)), { recursive: true });
    copyFileSync(node.binary, inside(node.binary));
    cpSync(node.npmDir, inside(node.npmDir), { recursive: true, verbatimSymlinks: true });
    for (const link of node.links) {
      rmSync(inside(link.path), { force: true });
      symlinkSync(link.target, inside(link.path));
    }
    if (node.caBundle) {
      mkdirSync(dirname(inside(node.caBundle)), { recursive: true });
      copyFileSync(node.caBundle, inside(node.caBundle));
    }
    appendFileSync(inside('/etc/passwd'), 'node:x:1000:1000::/home/node:/bin/sh\n');
    appendFileSync(inside('/etc/group'), 'node:x:1000:\n');
    mkdirSync(inside('/home/node'));
    chownSync(inside('/home/node'), 1000, 1000);
    await runCommand('tar', ['--numeric-owner', '-C', rootfs, '-cf', tarball, '.'], { timeoutMs: 5 * 60_000 });
  } finally {
    rmSync(rootfs, { recursive: true, force: true });
  }
}
