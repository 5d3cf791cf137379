import { InvalidIdempotencyKeyError, parseIdempotencyKey } from './idempotency';

describe('parseIdempotencyKey', () => {
  it('takes no header as no key, and a printable ASCII key of 1..255 characters as it is', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
    for (const key of ['a', 'order 42 / retry #1', '~'.repeat(255), '7c9e6679-7425-40de-944b-e07fc1f90ae7']) {
      expect(parseIdempotencyKey(key)).toBe(key);
    }
  });

  it.each([
    ['empty', ''],
    ['256 characters', 'x'.repeat(256)],
    ['a control character', 'a\tb'],
    ['not ASCII', 'clé'],
    ['given twice', ['a', 'b']],
  ])('refuses a key that is %s with a 400 naming the header', (_what, header) => {
    const sut = () => parseIdempotencyKey(header);
    expect(sut).toThrow(InvalidIdempotencyKeyError);
    expect(sut).toThrow(
      expect.objectContaining({ statusCode: 400, field: 'Idempotency-Key', message: expect.stringContaining('Idempotency-Key') }),
    );
  });
});
