import { InvalidJavaHomeError, MissingPackageError } from './errors';
import { resolveInstallation, SLF4J_SIMPLE_JAR, SystemProbe, ZOOKEEPER_JAR } from './debian-packages';

const EVERYTHING = ['/usr/bin/java', '/usr/bin/redis-server', ZOOKEEPER_JAR, SLF4J_SIMPLE_JAR];

/** A machine that has exactly `files`; installing a package adds what it provides. */
function fakeMachine(files: string[], options: { env?: NodeJS.ProcessEnv; root?: boolean } = {}) {
  const present = new Set(files);
  const installed: string[][] = [];
  const provides: Record<string, string> = {
    'default-jre-headless': '/usr/bin/java',
    zookeeper: ZOOKEEPER_JAR,
    'libslf4j-java': SLF4J_SIMPLE_JAR,
    'redis-server': '/usr/bin/redis-server',
  };
  const probe: SystemProbe = {
    env: options.env ?? { PATH: '/usr/local/bin:/usr/bin' },
    isExecutable: (path) => present.has(path),
    exists: (path) => present.has(path),
    canInstall: () => options.root ?? false,
    aptInstall: async (packages) => {
      installed.push([...packages]);
      for (const name of packages) present.add(provides[name]);
    },
  };
  return { probe, installed };
}

describe('resolveInstallation', () => {
  it('finds everything already installed without calling apt-get', async () => {
    const { probe, installed } = fakeMachine(EVERYTHING, { root: true });
    await expect(resolveInstallation(probe)).resolves.toEqual({
      java: '/usr/bin/java',
      zookeeperClasspath: [ZOOKEEPER_JAR, SLF4J_SIMPLE_JAR],
      redisServer: '/usr/bin/redis-server',
    });
    expect(installed).toEqual([]);
  });

  it('installs only the missing packages, in one apt-get call, as root on Debian', async () => {
    const { probe, installed } = fakeMachine(['/usr/bin/java', SLF4J_SIMPLE_JAR], { root: true });
    const sut = await resolveInstallation(probe);
    expect(installed).toEqual([['zookeeper', 'redis-server']]);
    expect(sut.redisServer).toBe('/usr/bin/redis-server');
  });

  it('names the packages and the exact command when it may not install', async () => {
    const { probe, installed } = fakeMachine(['/usr/bin/java', SLF4J_SIMPLE_JAR, '/usr/bin/redis-server']);
    const error = await resolveInstallation(probe).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingPackageError);
    expect(error).toMatchObject({ packages: ['zookeeper'], missing: [ZOOKEEPER_JAR] });
    expect((error as Error).message).toContain('sudo apt-get update && sudo apt-get install -y zookeeper');
    expect(installed).toEqual([]);
  });

  it('names default-jre-headless when there is no java', async () => {
    const { probe } = fakeMachine([ZOOKEEPER_JAR, SLF4J_SIMPLE_JAR, '/usr/bin/redis-server']);
    await expect(resolveInstallation(probe)).rejects.toThrow(/java not found: .*'default-jre-headless'/);
  });

  it('uses JAVA_HOME/bin/java when JAVA_HOME is set', async () => {
    const { probe } = fakeMachine([...EVERYTHING, '/opt/jdk/bin/java'], { env: { JAVA_HOME: '/opt/jdk', PATH: '/usr/bin' } });
    await expect(resolveInstallation(probe)).resolves.toMatchObject({ java: '/opt/jdk/bin/java' });
  });

  it('refuses a JAVA_HOME without bin/java instead of falling back to PATH, and never installs for it', async () => {
    const { probe, installed } = fakeMachine(EVERYTHING, { env: { JAVA_HOME: '/nowhere', PATH: '/usr/bin' }, root: true });
    const error = await resolveInstallation(probe).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidJavaHomeError);
    expect(error).toMatchObject({ javaHome: '/nowhere' });
    expect((error as Error).message).toMatch(/JAVA_HOME=\/nowhere .*default-jre-headless/);
    expect(installed).toEqual([]);
  });

  it('still fails, naming the package, when apt-get did not provide it', async () => {
    const { probe } = fakeMachine(EVERYTHING.filter((file) => file !== '/usr/bin/redis-server'), { root: true });
    probe.aptInstall = async () => undefined;
    await expect(resolveInstallation(probe)).rejects.toThrow(
      /redis-server not found: .*'redis-server' with: apt-get update && apt-get install -y redis-server/,
    );
  });
});
