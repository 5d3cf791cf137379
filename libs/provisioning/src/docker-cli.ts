import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { CommandOptions, CommandResult, runCommand } from './run-command';

/** The `docker` client pointed at one daemon (DOCKER_HOST), so that a test never reaches another. */
export class DockerCli {
  constructor(
    readonly command: string,
    /** Unset: the client's default, i.e. the system daemon. */
    readonly host?: string,
  ) {}

  /** Runs `docker ARGS` and resolves with its standard output. */
  async run(args: readonly string[], options: CommandOptions = {}): Promise<string> {
    return (await this.runBoth(args, options)).stdout;
  }

  /** Standard output then standard error, e.g. for `docker logs`, which replays both streams. */
  async output(args: readonly string[], options: CommandOptions = {}): Promise<string> {
    const { stdout, stderr } = await this.runBoth(args, options);
    return `${stdout}${stderr}`;
  }

  /** The daemon's version, or undefined when no daemon answers. */
  async serverVersion(timeoutMs = 5000): Promise<string | undefined> {
    return this.run(['version', '--format', '{{.Server.Version}}'], { timeoutMs }).then(
      (stdout) => stdout.trim() || undefined,
      () => undefined, // no daemon, or not yet: both are "no answer" to the caller
    );
  }

  /** `docker save` into `file`, written aside and renamed so that no reader ever sees half of it. */
  async save(references: readonly string[], file: string): Promise<void> {
    mkdirSync(dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    try {
      await this.run(['save', '--output', partial, ...references], { timeoutMs: 10 * 60_000 });
      renameSync(partial, file);
    } finally {
      rmSync(partial, { force: true });
    }
  }

  async load(file: string): Promise<void> {
    await this.run(['load', '--quiet', '--input', file], { timeoutMs: 10 * 60_000 });
  }

  async hasImage(reference: string): Promise<boolean> {
    return this.run(['image', 'inspect', '--format', '{{.Id}}', reference]).then(
      () => true,
      () => false, // inspect fails exactly when the image is absent
    );
  }

  private runBoth(args: readonly string[], options: CommandOptions): Promise<CommandResult> {
    const env = { ...options.env, ...(this.host ? { DOCKER_HOST: this.host } : {}) };
    return runCommand(this.command, args, { ...options, env });
  }
}
