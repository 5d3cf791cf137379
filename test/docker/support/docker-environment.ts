import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import NodeEnvironment from 'jest-environment-node';
import { DockerDaemon, DockerUnavailableError } from '@app/provisioning';
import { DOCKER_CONTEXT, DockerContext } from './docker-context';

/**
 * The environment of the image test. It gets a Docker daemon before the test file is loaded,
 * because Jest cannot skip a test that has started: the file then registers its tests, or skips
 * them with the reason in their titles. Only a DockerUnavailableError (installing docker.io or
 * starting dockerd failed) leads to the skip, printed in full here; any other failure fails.
 * The daemon it started is stopped after the file's afterAll has removed the containers.
 */
export default class DockerEnvironment extends NodeEnvironment {
  private daemon: DockerDaemon | undefined;
  private dir: string | undefined;

  override async setup(): Promise<void> {
    await super.setup();
    const startedAt = Date.now();
    const dir = mkdtempSync(join(tmpdir(), 'ordernum-docker-'));
    this.dir = dir;
    let context: DockerContext;
    try {
      const daemon = await DockerDaemon.connect({ dir: join(dir, 'daemon') });
      this.daemon = daemon;
      const { command, host } = daemon.cli;
      context = { available: true, command, host, ownDaemon: daemon.ownDaemon, dir, startedAt, daemonMs: Date.now() - startedAt };
    } catch (error) {
      if (!(error instanceof DockerUnavailableError)) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
      console.warn(`\n${error.message}\n=> the Docker image test is SKIPPED on this machine.\n`);
      context = { available: false, reason: error.message.split('\n')[0] };
    }
    this.global[DOCKER_CONTEXT] = context;
  }

  override async teardown(): Promise<void> {
    const status = await this.daemon?.stop();
    if (status?.signal === 'SIGKILL') {
      // Its log stays for a look at why SIGTERM did not end it.
      console.warn(`dockerd did not exit on SIGTERM and was killed; its files are kept in ${this.dir}`);
    } else if (this.dir) {
      rmSync(this.dir, { recursive: true, force: true });
    }
    await super.teardown();
  }
}
