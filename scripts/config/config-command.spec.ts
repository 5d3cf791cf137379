import { ConfigUsageError } from '@app/config-center';
import { runtimeConfigSchema } from '@app/contracts';
import { parseCommand, USAGE } from './config-command';

function usageError(run: () => unknown): ConfigUsageError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigUsageError);
    return error as ConfigUsageError;
  }
  throw new Error('accepted');
}

describe('parseCommand', () => {
  it('reads get, reset and set with options anywhere', () => {
    expect(parseCommand(['get'])).toEqual({ action: { kind: 'get' }, zk: undefined, stateFile: undefined });
    expect(parseCommand(['reset', '--zk', 'zk:2181'])).toEqual({ action: { kind: 'reset' }, zk: 'zk:2181', stateFile: undefined });
    expect(parseCommand(['--zk', 'a:1,b:2', 'set', 'strategy', 'redis', 'lockFencing', 'off'])).toEqual({
      action: { kind: 'set', patch: { strategy: 'redis', lockFencing: false } },
      zk: 'a:1,b:2',
      stateFile: undefined,
    });
  });

  it('reads set --raw as unvalidated bytes', () => {
    expect(parseCommand(['set', '--raw', '{"strategy":"zookeper"}']).action).toEqual({
      kind: 'raw',
      data: Buffer.from('{"strategy":"zookeper"}'),
    });
    expect(parseCommand(['set', '--raw', 'not json']).action).toEqual({ kind: 'raw', data: Buffer.from('not json') });
  });

  it.each([
    [[], /no command/],
    [['put', 'strategy', 'redis'], /unknown command 'put'/],
    [['get', 'strategy'], /takes no arguments/],
    [['get', '--raw', 'x'], /--raw goes with set/],
    [['set', '--raw', 'x', 'strategy', 'redis'], /no KEY VALUE pairs/],
    [['set', 'strategy', 'zookeper'], /^strategy: must be one of/],
    [['get', '--zookeeper', 'x'], /zookeeper/],
  ])('refuses %p', (argv, message) => {
    expect(usageError(() => parseCommand(argv)).message).toMatch(message);
  });

  it('names every key the config center accepts in its usage, with the bounds the schema enforces', () => {
    for (const key of Object.keys(runtimeConfigSchema.shape)) expect(USAGE).toMatch(new RegExp(`^ +${key} `, 'm'));
    expect(USAGE).toMatch(/lockBatchMax +1\.\.1000 /);
    expect(parseCommand(['set', 'lockBatchMax', '1']).action).toEqual({ kind: 'set', patch: { lockBatchMax: 1 } });
  });
});
