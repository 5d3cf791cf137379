import { existsSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { DockerCli } from '../../../scripts/services';
import { REPO_ROOT } from '../../../scripts/repo-root';

export interface BuildOptions {
  /** What NODE_IMAGE names. */
  baseImage: string;
  tag: string;
  logFile: string;
  /** Where the stages' layers are kept between runs; only for builds on this very base image. */
  cacheFile: string;
}

export interface BuildResult {
  cacheLoaded: boolean;
  cacheSaved: boolean;
}

const CACHE_REPOSITORY = 'ordernum-test-cache';
const STAGES = ['build', 'prod-deps'];

/**
 * Builds the project's Dockerfile on `baseImage`. --network host: the build's RUN steps reach
 * the npm and Debian registries without a bridge. The classic builder: BuildKit would fetch the
 * `# syntax=` frontend image from a registry, unreachable here.
 *
 * The npm installs are most of a build, so every stage's layers are kept with `docker save`
 * and offered back with --cache-from. The builder reuses a layer only when its instruction and
 * inputs (COPY checksums) are unchanged, so a new lockfile or source rebuilds from that step on.
 */
export async function buildImage(docker: DockerCli, options: BuildOptions): Promise<BuildResult> {
  const cacheTags = [...STAGES, 'runtime'].map((stage) => `${CACHE_REPOSITORY}:${stage}`);
  const cacheLoaded = existsSync(options.cacheFile);
  if (cacheLoaded) await docker.load(options.cacheFile);
  const before = await imageIds(docker, cacheTags);
  const build = (args: string[]) =>
    docker.run(
      ['build', '--network', 'host', '--build-arg', `NODE_IMAGE=${options.baseImage}`, ...cacheTags.flatMap((tag) => ['--cache-from', tag]), ...args, REPO_ROOT],
      { env: { DOCKER_BUILDKIT: '0' }, logFile: options.logFile, timeoutMs: 15 * 60_000 },
    );
  // Each stage under its own tag, because `docker save` keeps only tagged images and their parents.
  for (const stage of STAGES) await build(['--target', stage, '--tag', `${CACHE_REPOSITORY}:${stage}`]);
  await build(['--tag', options.tag]);
  await docker.run(['tag', options.tag, `${CACHE_REPOSITORY}:runtime`]);
  const after = await imageIds(docker, cacheTags);
  const cacheSaved = after.some((id, i) => id !== before[i]);
  if (cacheSaved) {
    await docker.save(cacheTags, options.cacheFile);
    const dir = dirname(options.cacheFile);
    for (const stale of readdirSync(dir).filter((file) => file.endsWith('.tar') && file !== basename(options.cacheFile))) {
      rmSync(`${dir}/${stale}`, { force: true });
    }
  }
  return { cacheLoaded, cacheSaved };
}

async function imageIds(docker: DockerCli, tags: readonly string[]): Promise<(string | undefined)[]> {
  return Promise.all(
    tags.map((tag) =>
      docker.run(['image', 'inspect', '--format', '{{.Id}}', tag]).then(
        (id) => id.trim(),
        () => undefined, // not built yet: differs from any id
      ),
    ),
  );
}
