import { parseArmRun, parseRunBoundPop, parseRunBoundPopMany } from './run-bound.scripts';

describe('parseRunBoundPop', () => {
  it('reads the three outcomes', () => {
    expect(parseRunBoundPop(['ok', '2026120211000000010010000'])).toEqual({ outcome: 'ok', value: '2026120211000000010010000' });
    expect(parseRunBoundPop(['empty', ''])).toEqual({ outcome: 'empty' });
    expect(parseRunBoundPop(['new-run', ''])).toEqual({ outcome: 'new-run' });
  });

  it('refuses anything else instead of guessing', () => {
    for (const reply of [null, '2026', ['ok'], ['gone', ''], ['ok', 7]]) expect(() => parseRunBoundPop(reply)).toThrow(TypeError);
  });
});

describe('parseArmRun', () => {
  it('is true only when the lists were discarded for a new run', () => {
    expect(parseArmRun(['new', 'abc'])).toBe(true);
    expect(parseArmRun(['same', 'abc'])).toBe(false);
    expect(() => parseArmRun(['other', 'abc'])).toThrow(TypeError);
  });
});

describe('parseRunBoundPopMany', () => {
  it('reads a batch and the two refusals', () => {
    expect(parseRunBoundPopMany(['ok', ['a', 'b']])).toEqual({ outcome: 'ok', values: ['a', 'b'] });
    expect(parseRunBoundPopMany(['empty', []])).toEqual({ outcome: 'empty' });
    expect(parseRunBoundPopMany(['new-run', []])).toEqual({ outcome: 'new-run' });
  });

  it('refuses anything else instead of guessing', () => {
    for (const reply of [null, ['ok', []], ['ok', ['a', 7]], ['empty', ['a']], ['gone', []], ['ok', 'a']]) {
      expect(() => parseRunBoundPopMany(reply)).toThrow(TypeError);
    }
  });
});
