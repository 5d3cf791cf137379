import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseZkCommand } from '../scripts/zk/zk-command';
import { runZk } from '../scripts/zk/zk-run';
import { requireEnv, uniqueName } from './support/backends';

// `npm run zk -- <verb>` (zkCli's verbs) against the real test ZooKeeper: what an operator sees,
// and what it refuses (a write outside ZK_ROOT, a set with a stale version).

const root = `/${uniqueName('zkcli')}`;

interface Outcome {
  code: number;
  out: string;
  err: string;
}

async function zk(...argv: string[]): Promise<Outcome> {
  const out: string[] = [];
  const err: string[] = [];
  const env = { ZK_ROOT: root, ZK_CONNECT: requireEnv('TEST_ZK_CONNECT') };
  const code = await runZk(parseZkCommand(argv), { out: (text) => out.push(text), err: (text) => err.push(text) }, env);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(async () => {
  expect(await zk('create', root)).toMatchObject({ code: 0, out: `Created ${root}` });
});

afterAll(async () => {
  await zk('deleteall', root);
});

it('create, get, ls, ls -R, stat and ls2 print as zkCli does', async () => {
  expect(await zk('create', `${root}/config`, '{"strategy":"redis"}')).toMatchObject({ code: 0, out: `Created ${root}/config` });
  expect(await zk('create', `${root}/config/child`)).toMatchObject({ code: 0 });
  expect(await zk('get', `${root}/config`)).toMatchObject({ code: 0, out: '{"strategy":"redis"}' });
  expect(await zk('ls', root)).toMatchObject({ code: 0, out: '[config]' });
  expect((await zk('ls', '-R', root)).out.split('\n')).toEqual([root, `${root}/config`, `${root}/config/child`]);
  const stat = await zk('stat', `${root}/config`);
  expect(stat.code).toBe(0);
  expect(stat.out).toMatch(
    /^cZxid = 0x[0-9a-f]+\nctime = .+\nmZxid = 0x[0-9a-f]+\nmtime = .+\npZxid = 0x[0-9a-f]+\ncversion = 1\ndataVersion = 0\naclVersion = 0\nephemeralOwner = 0x0\ndataLength = 20\nnumChildren = 1$/,
  );
  expect((await zk('ls2', `${root}/config`)).out).toMatch(/^\[child\]\ncZxid = /);
});

it('answers JSON for scripts', async () => {
  const { code, out } = await zk('stat', `${root}/config`, '--json');
  expect(code).toBe(0);
  expect(JSON.parse(out)).toMatchObject({ dataVersion: 0, numChildren: 1, dataLength: 20, ephemeralOwner: '0x0' });
});

it('set with the current version changes the node; with a stale one it is refused and changes nothing', async () => {
  const path = `${root}/versioned`;
  await zk('create', path, 'v0');
  expect(await zk('set', path, 'v1', '0')).toMatchObject({ code: 0, out: expect.stringContaining('dataVersion = 1') });
  const stale = await zk('set', path, 'v2', '0');
  expect(stale).toMatchObject({ code: 1, err: expect.stringContaining(`version No is not valid: ${path}`) });
  expect((await zk('get', path)).out).toBe('v1');
  expect(await zk('delete', path, '0')).toMatchObject({ code: 1, err: expect.stringContaining(`version No is not valid: ${path}`) });
  expect(await zk('delete', path, '1')).toMatchObject({ code: 0 });
  expect(await zk('get', path)).toMatchObject({ code: 1, err: expect.stringContaining(`Node does not exist: ${path}`) });
});

it('refuses a write outside ZK_ROOT (exit 2, nothing written) unless --force', async () => {
  const outside = `/${uniqueName('outside')}`;
  const refused = await zk('create', outside, 'x');
  expect(refused).toMatchObject({ code: 2, err: expect.stringContaining(`outside ZK_ROOT ${root}`) });
  expect(await zk('get', outside)).toMatchObject({ code: 1, err: expect.stringContaining(`Node does not exist: ${outside}`) });
  expect(await zk('create', outside, 'x', '--force')).toMatchObject({ code: 0 });
  expect(await zk('deleteall', outside)).toMatchObject({ code: 2 });
  expect(await zk('deleteall', outside, '--force')).toMatchObject({ code: 0 });
  expect(await zk('get', outside)).toMatchObject({ code: 1 });
});

it('creates sequential nodes and deletes a whole subtree', async () => {
  const created = await zk('create', '-s', `${root}/queue/item-`);
  expect(created).toMatchObject({ code: 1, err: expect.stringContaining(`Node does not exist: ${root}/queue/item-`) });
  await zk('create', `${root}/queue`);
  const first = await zk('create', '-s', `${root}/queue/item-`, 'a');
  expect(first.out).toMatch(new RegExp(`^Created ${root}/queue/item-\\d{10}$`));
  await zk('create', '-s', `${root}/queue/item-`, 'b');
  expect((await zk('ls', `${root}/queue`)).out).toMatch(/^\[item-\d{10}, item-\d{10}\]$/);
  expect(await zk('delete', `${root}/queue`)).toMatchObject({ code: 1, err: expect.stringContaining(`Node not empty: ${root}/queue`) });
  expect(await zk('deleteall', `${root}/queue`)).toMatchObject({ code: 0 });
  expect(await zk('get', `${root}/queue`)).toMatchObject({ code: 1 });
});

it('relays read-only four-letter words and refuses the others without --force', async () => {
  const srvr = await zk('4lw', 'srvr');
  expect(srvr.code).toBe(0);
  expect(srvr.out).toMatch(/^--- 127\.0\.0\.1:\d+\n[\s\S]*Mode: standalone/);
  expect(await zk('4lw', 'crst')).toMatchObject({ code: 2, err: expect.stringContaining("'crst' is not a read-only four-letter word") });
});

it('runs as `npm run zk` from the command line', async () => {
  const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'zk', '--', 'ls', root], {
    env: { ...process.env, ZK_ROOT: root, ZK_CONNECT: requireEnv('TEST_ZK_CONNECT') },
    timeout: 60_000,
  });
  expect(stdout.trim()).toBe('[config]');
});
