import { parseZkCommand, ZkUsageError } from './zk-command';

describe('parseZkCommand', () => {
  it.each<[string[], object]>([
    [['ls', '/ordernum'], { verb: 'ls', path: '/ordernum', recursive: false }],
    [['ls', '-R', '/ordernum'], { verb: 'ls', path: '/ordernum', recursive: true }],
    [['ls2', '/'], { verb: 'stat', path: '/', withChildren: true }],
    [['stat', '/a'], { verb: 'stat', path: '/a', withChildren: false }],
    [['get', '/a'], { verb: 'get', path: '/a' }],
    [['create', '-e', '-s', '/a/n-', 'x'], { verb: 'create', path: '/a/n-', data: 'x', ephemeral: true, sequential: true }],
    [['create', '/a'], { verb: 'create', path: '/a', data: undefined, ephemeral: false, sequential: false }],
    [['set', '/a', '{"k":1}', '3'], { verb: 'set', path: '/a', data: '{"k":1}', version: 3 }],
    [['set', '/a', 'v'], { verb: 'set', path: '/a', data: 'v', version: undefined }],
    [['delete', '/a', '0'], { verb: 'delete', path: '/a', version: 0 }],
    [['deleteall', '/a'], { verb: 'deleteall', path: '/a' }],
    [['4lw', 'mntr'], { verb: '4lw', word: 'mntr' }],
  ])('reads %j', (argv, action) => {
    expect(parseZkCommand(argv).action).toEqual(action);
  });

  it('reads the connection and output options', () => {
    expect(parseZkCommand(['ls', '/', '--server', 'zk:2181', '--json', '--force'])).toMatchObject({
      server: 'zk:2181',
      json: true,
      force: true,
    });
  });

  it.each([
    [[], /no verb/],
    [['rmr', '/a'], /unknown verb 'rmr'/],
    [['ls'], /PATH is missing/],
    [['ls', 'ordernum'], /absolute/],
    [['ls', '/a/'], /must not end with/],
    [['set', '/a'], /DATA is missing/],
    [['set', '/a', 'v', '-1'], /Unknown option|VERSION/],
    [['set', '/a', 'v', 'x'], /VERSION must be a non-negative integer/],
    [['delete', '/a', '1', '2'], /too many arguments/],
    [['get', '-R', '/a'], /-R goes with ls/],
    [['4lw', 'MNTR'], /four lower-case letters/],
    [['ls', '/', '--bogus'], /bogus/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseZkCommand(argv)).toThrow(ZkUsageError);
    expect(() => parseZkCommand(argv)).toThrow(message);
  });
});
