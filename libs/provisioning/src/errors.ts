import { UnavailableError } from '@app/errors';

/** Base of every provisioning failure, so callers can tell them from bugs: the servers are not there to serve. */
export class ProvisioningError extends UnavailableError {}

/** Programs or files we need are absent and we may not (or could not) install them. */
export class MissingPackageError extends ProvisioningError {
  constructor(
    readonly missing: readonly string[],
    readonly packages: readonly string[],
    readonly installCommand: string,
    cause?: unknown,
  ) {
    const names = packages.map((name) => `'${name}'`).join(', ');
    super(`${missing.join(', ')} not found: install the Debian package(s) ${names} with: ${installCommand}`, { cause });
  }
}

/** JAVA_HOME is set but does not point at a Java installation; java on PATH is not used then. */
export class InvalidJavaHomeError extends ProvisioningError {
  constructor(readonly javaHome: string) {
    super(
      `JAVA_HOME=${javaHome} has no executable bin/java: point JAVA_HOME at a JRE (e.g. /usr/lib/jvm/default-java), ` +
        `unset it to use java from PATH, or install the package 'default-jre-headless' (apt-get install -y default-jre-headless)`,
    );
  }
}

export class PackageInstallError extends ProvisioningError {
  constructor(
    readonly command: string,
    readonly output: string,
    cause?: unknown,
  ) {
    super(`'${command}' failed:\n${output.split('\n').slice(-30).join('\n')}`, { cause });
  }
}

export class PortInUseError extends ProvisioningError {
  constructor(
    readonly service: string,
    readonly port: number,
    cause?: unknown,
  ) {
    super(`${service}: port ${port} on 127.0.0.1 is already in use`, { cause });
  }
}

/** A server's data directory cannot be written by this user (checked before launching it). */
export class DataDirNotWritableError extends ProvisioningError {
  constructor(
    readonly service: string,
    readonly dir: string,
    cause?: unknown,
  ) {
    super(`${service}: data directory ${dir} is not writable by this user (${(cause as Error | undefined)?.message ?? 'access denied'})`, { cause });
  }
}

export type StartFailure = 'exited' | 'timeout' | 'config';

/** A server process did not become ready; `logTail` holds the last lines of its log. */
export class ServiceStartError extends ProvisioningError {
  constructor(
    readonly service: string,
    readonly failure: StartFailure,
    readonly detail: string,
    readonly logFile: string,
    readonly logTail: string,
    cause?: unknown,
  ) {
    super(`${service} failed to start (${failure}): ${detail}\n--- last lines of ${logFile} ---\n${logTail}`, { cause });
  }
}

/**
 * Docker cannot be had on this machine: installing `docker.io` failed (or may not be done here),
 * or `dockerd` did not start. The one failure that lets the image test skip instead of fail.
 */
export class DockerUnavailableError extends ProvisioningError {
  constructor(
    readonly step: 'install' | 'daemon',
    readonly detail: string,
    cause?: unknown,
  ) {
    super(`Docker is unavailable (${step}): ${detail}`, { cause });
  }
}

/** A `docker` (or debootstrap, tar) command exited non-zero; `output` is its combined output. */
export class CommandFailedError extends ProvisioningError {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly output: string,
    cause?: unknown,
  ) {
    super(`'${command}' exited with ${exitCode}:\n${output.trimEnd().split('\n').slice(-40).join('\n')}`, { cause });
  }
}
