import { parseFencedReply } from './fenced.scripts';

describe('parseFencedReply', () => {
  it('reads the three outcomes', () => {
    expect(parseFencedReply(['ok', '1700000000000:3'])).toEqual({ outcome: 'ok', value: '1700000000000:3' });
    expect(parseFencedReply(['stale', '7:42'])).toEqual({ outcome: 'stale', highest: { epoch: 7, token: 42 } });
    expect(parseFencedReply(['moved', ''])).toEqual({ outcome: 'moved', current: '' });
  });

  it('refuses anything else instead of guessing', () => {
    for (const reply of ['OK', null, ['ok'], ['gone', 'x'], ['ok', 7], ['stale', '42']]) {
      expect(() => parseFencedReply(reply)).toThrow(TypeError);
    }
  });
});
