import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { createConnection } from 'mysql2/promise';
import { DataDirNotWritableError, freePort, MariadbServer, PortInUseError } from '@app/provisioning';
import { serviceDir } from './support/service-dirs';
import { usePrivateServices } from './support/services';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false; // ESRCH: no such process, which is what we are checking for
  }
}

describe('MariaDB provisioning', () => {
  const services = usePrivateServices();

  it('the shared test server answers as root on 127.0.0.1 with the service database', async () => {
    const connection = await createConnection(process.env.TEST_DATABASE_URL ?? '');
    try {
      const [rows] = await connection.query('SELECT DATABASE() AS db, @@bind_address AS bound');
      expect(rows).toEqual([{ db: 'ordernum', bound: '127.0.0.1' }]);
    } finally {
      await connection.end();
    }
  });

  it('starts, keeps its data across a clean stop and a restart, and leaves no process behind', async () => {
    const sut = await services.mariadb();
    const pid = sut.pid as number;
    const first = await createConnection(sut.url);
    await first.query('CREATE TABLE kept (v INT) ENGINE=InnoDB');
    await first.query('INSERT INTO kept VALUES (42)');
    await first.end();
    const status = await sut.stop();
    expect(status?.code).toBe(0); // SIGTERM is mariadbd's clean shutdown
    expect(isAlive(pid)).toBe(false);
    await sut.start();
    const second = await createConnection(sut.url);
    const [rows] = await second.query('SELECT v FROM kept');
    await second.end();
    expect(rows).toEqual([{ v: 42 }]);
  });

  it('names the port when something else listens on it', async () => {
    const port = await freePort();
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    try {
      const sut = new MariadbServer({ dataDir: serviceDir('mariadb-port-taken'), port });
      await expect(sut.start()).rejects.toThrow(PortInUseError);
      await expect(sut.start()).rejects.toThrow(`port ${port}`);
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });

  it('says the data directory is not writable instead of launching a server that cannot start', async () => {
    // Root may write anywhere, so "not writable" is a data directory below a regular file.
    mkdirSync(serviceDir(), { recursive: true });
    const file = serviceDir('not-a-directory');
    writeFileSync(file, 'a file');
    try {
      const sut = new MariadbServer({ dataDir: `${file}/mariadb`, port: await freePort() });
      await expect(sut.start()).rejects.toThrow(DataDirNotWritableError);
      expect(sut.running).toBe(false);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
