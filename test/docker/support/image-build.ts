import { existsSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DockerCli } from '@app/provisioning';
import { REPO_ROOT } from '@app/cluster';

export interface BuildOptions {
  /** What NODE_IMAGE names. */
  baseImage: string;
  tag: string;
  logFile: string;
  /** Where the build stage's layers are kept between runs; only for builds on this very base image. */
  cacheFile: string;
}

export interface BuildResult {
  cacheLoaded: boolean;
  cacheSaved: boolean;
}

const BUILD_STAGE_CACHE = 'ordernum-test-cache:build';

/**
 * Builds the project's Dockerfile on `baseImage`. --network host: the build's RUN steps reach
 * the npm and Debian registries without a bridge. The classic builder: BuildKit would fetch the
 * `# syntax=` frontend image from a registry, unreachable here.
 *
 * The build stage (the full `npm ci` and the compilation, most of a build) is kept with
 * `docker save` and offered back with --cache-from; a step is reused only when its instruction
 * and inputs (COPY checksums) are unchanged. Only that stage: the classic builder restores
 * steps from one --cache-from image per build, and the other stages share its first steps.
 */
export async function buildImage(docker: DockerCli, options: BuildOptions): Promise<BuildResult> {
  const cacheLoaded = existsSync(options.cacheFile);
  if (cacheLoaded) await docker.load(options.cacheFile);
  const before = await imageId(docker, BUILD_STAGE_CACHE);
  const build = (args: string[]) =>
    docker.run(['build', '--network', 'host', '--build-arg', `NODE_IMAGE=${options.baseImage}`, '--cache-from', BUILD_STAGE_CACHE, ...args, REPO_ROOT], {
      env: { DOCKER_BUILDKIT: '0' },
      logFile: options.logFile,
      timeoutMs: 15 * 60_000,
    });
  await build(['--target', 'build', '--tag', BUILD_STAGE_CACHE]);
  await build(['--tag', options.tag]);
  const cacheSaved = (await imageId(docker, BUILD_STAGE_CACHE)) !== before;
  if (cacheSaved) {
    await docker.save([BUILD_STAGE_CACHE], options.cacheFile);
    const dir = dirname(options.cacheFile);
    for (const stale of readdirSync(dir).filter((file) => file.endsWith('.tar') && file !== basename(options.cacheFile))) {
      rmSync(join(dir, stale), { force: true });
    }
  }
  return { cacheLoaded, cacheSaved };
}

async function imageId(docker: DockerCli, tag: string): Promise<string | undefined> {
  return docker.run(['image', 'inspect', '--format', '{{.Id}}', tag]).then(
    (id) => id.trim(),
    () => undefined, // not there yet: differs from any id
  );
}
