import { RuntimeConfig, STRATEGY_NAMES } from '@app/contracts';
import { ConfigUsageError, mergePatch, parseSettings, RUNTIME_CONFIG_KEYS } from './config-patch';

const GOOD: RuntimeConfig = { strategy: 'zookeeper', businessLines: [1001, 2001], lockTtlMs: 2000, lockFencing: true };

/** The error `parseSettings(args)` throws; fails the test if it accepts them. */
function refusal(args: string[]): ConfigUsageError {
  try {
    parseSettings(args);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigUsageError);
    return error as ConfigUsageError;
  }
  throw new Error(`accepted ${args.join(' ')}`);
}

describe('parseSettings', () => {
  it('offers exactly the fields of the replicas\' schema', () => {
    expect([...RUNTIME_CONFIG_KEYS].sort()).toEqual(['businessLines', 'lockBatchMax', 'lockFencing', 'lockTtlMs', 'strategy']);
  });

  it.each(STRATEGY_NAMES)('reads strategy %s', (strategy) => {
    expect(parseSettings(['strategy', strategy])).toEqual({ strategy });
  });

  it.each([['on', true], ['off', false]])('reads lockFencing %s', (text, lockFencing) => {
    expect(parseSettings(['lockFencing', text])).toEqual({ lockFencing });
  });

  it('reads lockBatchMax as a number and refuses a word', () => {
    expect(parseSettings(['lockBatchMax', '1'])).toEqual({ lockBatchMax: 1 });
    expect(() => parseSettings(['lockBatchMax', 'many'])).toThrow(/lockBatchMax: must be an integer/);
  });

  it('reads lockTtlMs as a number and businessLines as a list of numbers', () => {
    expect(parseSettings(['lockTtlMs', '3000', 'businessLines', ' 1001, 2001 '])).toEqual({ lockTtlMs: 3000, businessLines: [1001, 2001] });
  });

  it('reads several pairs into one patch', () => {
    expect(parseSettings(['strategy', 'redis', 'lockFencing', 'off', 'lockTtlMs', '50', 'businessLines', '0'])).toEqual({
      strategy: 'redis',
      lockFencing: false,
      lockTtlMs: 50,
      businessLines: [0],
    });
  });

  it('refuses an unknown key, naming it and the valid ones', () => {
    const sut = refusal(['stratgy', 'redis']);
    expect(sut.field).toBe('stratgy');
    expect(sut.message).toContain("'stratgy'");
    for (const key of RUNTIME_CONFIG_KEYS) expect(sut.message).toContain(key);
  });

  it.each(['zookeper', 'ZOOKEEPER', 'zk', ''])('refuses strategy %p, listing every strategy', (value) => {
    const sut = refusal(['strategy', value]);
    expect(sut.field).toBe('strategy');
    expect(sut.message).toMatch(/^strategy: /);
    for (const name of STRATEGY_NAMES) expect(sut.message).toContain(name);
  });

  it.each(['true', 'false', 'ON', '1', ''])('refuses lockFencing %p, naming on and off', (value) => {
    const sut = refusal(['lockFencing', value]);
    expect(sut.message).toMatch(/^lockFencing: must be on or off/);
  });

  it.each(['abc', '2000.5', '-5', '1e3', ''])('refuses lockTtlMs %p as not an integer', (value) => {
    expect(refusal(['lockTtlMs', value]).message).toMatch(/^lockTtlMs: must be an integer/);
  });

  it.each(['49', '600001'])('refuses lockTtlMs %s as out of the schema\'s range', (value) => {
    const sut = refusal(['lockTtlMs', value]);
    expect(sut.field).toBe('lockTtlMs');
    expect(sut.message).toMatch(/^lockTtlMs: .*(50|600000)/);
  });

  it.each([
    ['not numbers', '1001,x'],
    ['empty', ''],
    ['out of range', '10000'],
    ['a duplicate', '1001,1001'],
  ])('refuses businessLines %s (%p), naming the field', (_label, value) => {
    expect(refusal(['businessLines', value]).message).toMatch(/^businessLines: /);
  });

  it('refuses a key without a value, no pairs, and a key given twice', () => {
    expect(refusal(['strategy']).message).toContain('no value');
    expect(refusal([]).message).toContain('KEY VALUE');
    expect(refusal(['strategy', 'redis', 'strategy', 'none']).message).toContain('twice');
  });
});

describe('mergePatch', () => {
  const bytes = (value: unknown): Buffer => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

  it('keeps the node\'s other fields', () => {
    expect(mergePatch(bytes(GOOD), { strategy: 'redis' })).toEqual({ ok: true, config: { ...GOOD, strategy: 'redis' } });
  });

  it('refuses a patch onto a missing or unreadable node unless it names every field', () => {
    for (const current of [null, bytes('not json'), bytes([1, 2])]) {
      const sut = mergePatch(current, { strategy: 'redis' });
      expect(sut.ok).toBe(false);
      if (!sut.ok) expect(sut.error).toMatch(/businessLines: /);
      expect(mergePatch(current, GOOD)).toEqual({ ok: true, config: GOOD });
    }
  });

  it('refuses what the replicas would refuse: an unknown key already in the node', () => {
    const sut = mergePatch(bytes({ ...GOOD, stratgy: 'none' }), { strategy: 'redis' });
    expect(sut).toEqual({ ok: false, error: expect.stringContaining('stratgy') });
  });
});
