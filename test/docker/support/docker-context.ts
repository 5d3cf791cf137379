/** What the image test's environment found, handed to the test file through its global object. */
export type DockerContext =
  | {
      available: true;
      /** The docker client and the daemon it talks to (unset: the system's). */
      command: string;
      host: string | undefined;
      ownDaemon: boolean;
      /** Absolute; this run's scratch space, removed after the file. */
      dir: string;
      startedAt: number;
      daemonMs: number;
    }
  | { available: false; reason: string };

export const DOCKER_CONTEXT = '__ordernumDockerContext';

type GlobalWithContext = typeof globalThis & { [DOCKER_CONTEXT]?: DockerContext };

export function dockerContext(): DockerContext {
  const context = (globalThis as GlobalWithContext)[DOCKER_CONTEXT];
  if (!context) throw new Error('no Docker context: run this file in test/docker/support/docker-environment.ts (@jest-environment docblock)');
  return context;
}
