import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { InvalidJavaHomeError, MissingPackageError, PackageInstallError } from './errors';

export const ZOOKEEPER_JAR = '/usr/share/java/zookeeper.jar';
// The Debian zookeeper.jar lists its other dependencies in its manifest Class-Path; without an
// SLF4J binding it runs silently, and our start-up diagnosis reads its log.
export const SLF4J_SIMPLE_JAR = '/usr/share/java/slf4j-simple.jar';

/** Where the server programs are on this machine. */
export interface Installation {
  java: string;
  zookeeperClasspath: string[];
  redisServer: string;
}

/** What resolveInstallation needs from the machine, injectable for tests. */
export interface SystemProbe {
  env: NodeJS.ProcessEnv;
  isExecutable(path: string): boolean;
  exists(path: string): boolean;
  /** Root on Debian: we may run apt-get ourselves. */
  canInstall(): boolean;
  aptInstall(packages: readonly string[]): Promise<void>;
}

interface Requirement {
  what: string;
  packageName: string;
  find(probe: SystemProbe): string | undefined;
}

const REQUIREMENTS: readonly Requirement[] = [
  { what: 'java', packageName: 'default-jre-headless', find: findJava },
  { what: ZOOKEEPER_JAR, packageName: 'zookeeper', find: (probe) => existing(ZOOKEEPER_JAR, probe) },
  { what: SLF4J_SIMPLE_JAR, packageName: 'libslf4j-java', find: (probe) => existing(SLF4J_SIMPLE_JAR, probe) },
  { what: 'redis-server', packageName: 'redis-server', find: (probe) => onPath('redis-server', probe) },
];

/**
 * Finds java, ZooKeeper and redis-server, installing the missing Debian packages when running as
 * root on Debian. A JAVA_HOME set to something that is not a JRE is an error, never silently
 * replaced by the java on PATH: the user asked for that JRE.
 */
export async function resolveInstallation(probe: SystemProbe): Promise<Installation> {
  const javaHome = probe.env.JAVA_HOME;
  if (javaHome && findJava(probe) === undefined) throw new InvalidJavaHomeError(javaHome);
  let missing = REQUIREMENTS.filter((requirement) => requirement.find(probe) === undefined);
  if (missing.length > 0 && probe.canInstall()) {
    await probe.aptInstall(unique(missing.map((requirement) => requirement.packageName)));
    missing = missing.filter((requirement) => requirement.find(probe) === undefined);
  }
  if (missing.length > 0) {
    const packages = unique(missing.map((requirement) => requirement.packageName));
    const sudo = probe.canInstall() ? '' : 'sudo ';
    const command = `${sudo}apt-get update && ${sudo}apt-get install -y ${packages.join(' ')}`;
    throw new MissingPackageError(missing.map((requirement) => requirement.what), packages, command);
  }
  const [java, zookeeperJar, slf4j, redisServer] = REQUIREMENTS.map((requirement) => requirement.find(probe) ?? '');
  return { java, zookeeperClasspath: [zookeeperJar, slf4j], redisServer };
}

/** Where Debian's `libfaketime` puts the preload library, per architecture. */
const LIBFAKETIME_CANDIDATES = ['x86_64-linux-gnu', 'aarch64-linux-gnu', 'arm-linux-gnueabihf', 'i386-linux-gnu'].map(
  (multiarch) => `/usr/lib/${multiarch}/faketime/libfaketime.so.1`,
);

const LIBFAKETIME: Requirement = {
  what: 'libfaketime.so.1',
  packageName: 'faketime',
  find: (probe) => LIBFAKETIME_CANDIDATES.find((path) => probe.exists(path)),
};

/**
 * The libfaketime preload library (Debian `faketime`, which depends on `libfaketime`), installed
 * like the servers above when missing: the clock-skew tests run a replica on a really skewed clock.
 */
export async function resolveLibfaketime(probe: SystemProbe): Promise<string> {
  if (LIBFAKETIME.find(probe) === undefined && probe.canInstall()) await probe.aptInstall([LIBFAKETIME.packageName]);
  const found = LIBFAKETIME.find(probe);
  if (found !== undefined) return found;
  const sudo = probe.canInstall() ? '' : 'sudo ';
  throw new MissingPackageError([LIBFAKETIME.what], [LIBFAKETIME.packageName], `${sudo}apt-get update && ${sudo}apt-get install -y ${LIBFAKETIME.packageName}`);
}

/** resolveLibfaketime against this machine. */
export function ensureLibfaketime(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return resolveLibfaketime(machineProbe(env));
}

const memo = new Map<string, Promise<Installation>>();

/** resolveInstallation against this machine, once per process (and per JAVA_HOME/PATH). */
export function ensureInstalled(env: NodeJS.ProcessEnv = process.env): Promise<Installation> {
  const key = `${env.JAVA_HOME ?? ''}\0${env.PATH ?? ''}`;
  let result = memo.get(key);
  if (!result) {
    result = resolveInstallation(machineProbe(env));
    // A failure is not cached: the user may install the package and try again in the same process.
    result.catch(() => memo.delete(key));
    memo.set(key, result);
  }
  return result;
}

/**
 * `program` on PATH (or in /usr/bin, /usr/sbin), installing the Debian package that provides it
 * when it is missing and this is root on Debian; MissingPackageError names the command otherwise.
 */
export async function ensureProgram(program: string, packageName: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const probe = machineProbe(env);
  const found = onPath(program, probe);
  if (found) return found;
  if (probe.canInstall()) await probe.aptInstall([packageName]);
  const installed = onPath(program, probe);
  if (installed) return installed;
  const sudo = probe.canInstall() ? '' : 'sudo ';
  throw new MissingPackageError([program], [packageName], `${sudo}apt-get update && ${sudo}apt-get install -y ${packageName}`);
}

/** `program` on PATH (or in /usr/bin, /usr/sbin), without installing anything. */
export function findProgram(program: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return onPath(program, machineProbe(env));
}

let aptUpdated: Promise<void> | undefined;

function machineProbe(env: NodeJS.ProcessEnv): SystemProbe {
  return {
    env,
    isExecutable,
    exists: existsSync,
    canInstall: () => existsSync('/etc/debian_version') && process.getuid?.() === 0,
    async aptInstall(packages) {
      // Another apt-get on this machine (a parallel run installing its own servers) holds the dpkg
      // lock for a while: wait for it rather than fail.
      const waitForLock = ['-o', 'DPkg::Lock::Timeout=300'];
      aptUpdated ??= run('apt-get', [...waitForLock, 'update']);
      await aptUpdated;
      await withServiceStartsForbidden(() => run('apt-get', [...waitForLock, 'install', '-y', '--no-install-recommends', ...packages]));
    },
  };
}

const POLICY_RC_D = '/usr/sbin/policy-rc.d';

/**
 * Packages such as docker.io and redis-server start their service on installation unless a
 * policy forbids it: a system dockerd would bring up its default bridge on a private-range
 * network, and a system redis-server would hold port 6379. Our servers are started by us, on
 * loopback. invoke-rc.d and deb-systemd-invoke both obey policy-rc.d's 101 ("forbidden"); a
 * machine's own policy-rc.d is left as it is.
 */
async function withServiceStartsForbidden(install: () => Promise<void>): Promise<void> {
  if (existsSync(POLICY_RC_D)) return install();
  writeFileSync(POLICY_RC_D, '#!/bin/sh\n# Written by ordernum for the duration of an apt-get install.\nexit 101\n', { mode: 0o755 });
  try {
    await install();
  } finally {
    rmSync(POLICY_RC_D, { force: true });
  }
}

function findJava(probe: SystemProbe): string | undefined {
  const javaHome = probe.env.JAVA_HOME;
  if (!javaHome) return onPath('java', probe);
  const java = join(javaHome, 'bin', 'java');
  return probe.isExecutable(java) ? java : undefined;
}

function onPath(program: string, probe: SystemProbe): string | undefined {
  const dirs = (probe.env.PATH ?? '').split(delimiter).filter(Boolean);
  // Root's PATH on Debian includes /usr/sbin and /usr/bin, but a stripped test environment may not.
  return [...dirs, '/usr/bin', '/usr/sbin'].map((dir) => join(dir, program)).find((path) => probe.isExecutable(path));
}

function existing(path: string, probe: SystemProbe): string | undefined {
  return probe.exists(path) ? path : undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false; // absent or not executable: both mean "not this one"
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** Runs a command quietly; its combined output is shown only if it fails. */
function run(command: string, args: readonly string[]): Promise<void> {
  const commandLine = [command, ...args].join(' ');
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new PackageInstallError(commandLine, `${stdout}${stderr}`, error));
        else resolve();
      },
    );
  });
}
