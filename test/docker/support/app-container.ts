import { DockerCli } from '@app/provisioning';
import { getJson } from '@app/cluster';

export interface StopResult {
  elapsedMs: number;
  exitCode: number;
  oomKilled: boolean;
}

/**
 * One app (`order-service` or `gateway`) run from the image, on the host's network so that it
 * reaches ZooKeeper and Redis on 127.0.0.1 and no container network is ever created.
 */
export class AppContainer {
  constructor(
    private readonly docker: DockerCli,
    readonly name: string,
  ) {}

  async start(image: string, app: 'order-service' | 'gateway', env: Record<string, string>): Promise<void> {
    const variables = Object.entries(env).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
    await this.docker.run(['run', '--detach', '--name', this.name, '--network', 'host', ...variables, image, app]);
  }

  /** Polls GET `url` until it answers 200; fails at once, with the container's log, if the container stops. */
  async waitHealthy(url: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if ((await getJson(url).catch(() => undefined))?.status === 200) return;
      if (!(await this.running())) throw new Error(`${this.name} stopped before ${url} answered:\n${await this.logs()}`);
      if (Date.now() > deadline) throw new Error(`${this.name}: ${url} did not answer 200 within ${timeoutMs} ms:\n${await this.logs()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async running(): Promise<boolean> {
    return (await this.inspect('{{.State.Running}}')) === 'true';
  }

  /** The command line of the container's PID 1. */
  async pid1(): Promise<string[]> {
    const cmdline = await this.docker.run(['exec', this.name, 'cat', '/proc/1/cmdline']);
    return cmdline.split('\0').filter(Boolean);
  }

  /** `docker stop -t graceSeconds`: SIGTERM, then SIGKILL if the container outlives the grace period. */
  async stop(graceSeconds: number): Promise<StopResult> {
    const started = Date.now();
    await this.docker.run(['stop', '--time', String(graceSeconds), this.name], { timeoutMs: (graceSeconds + 30) * 1000 });
    const elapsedMs = Date.now() - started;
    const [exitCode, oomKilled] = (await this.inspect('{{.State.ExitCode}} {{.State.OOMKilled}}')).split(' ');
    return { elapsedMs, exitCode: Number(exitCode), oomKilled: oomKilled === 'true' };
  }

  async logs(lines = 40): Promise<string> {
    return this.docker.output(['logs', '--tail', String(lines), this.name]).catch((error: Error) => `(no log: ${error.message})`);
  }

  /** Removes the container whatever its state; one that was never created is no error. */
  async remove(): Promise<void> {
    await this.docker.run(['rm', '--force', this.name]).catch(() => undefined); // absent: nothing to remove
  }

  private async inspect(format: string): Promise<string> {
    return (await this.docker.run(['inspect', '--format', format, this.name])).trim();
  }
}
