import { InvalidOrderRequestError, parseCreateOrder } from './order-request';

const LINES = [1001, 2001, 3001, 4001];

/** The error `parseCreateOrder` throws for `body`; fails the test if it accepts it. */
function rejection(body: unknown, lines: readonly number[] = LINES): InvalidOrderRequestError {
  try {
    parseCreateOrder(body, lines);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidOrderRequestError);
    return error as InvalidOrderRequestError;
  }
  throw new Error(`accepted ${JSON.stringify(body)}`);
}

describe('parseCreateOrder', () => {
  it.each(LINES)('accepts {"businessId": %i}', (businessId) => {
    expect(parseCreateOrder({ businessId }, LINES)).toEqual({ businessId });
  });

  it('accepts the edges of the range when they are registered', () => {
    expect(parseCreateOrder({ businessId: 0 }, [0, 9999])).toEqual({ businessId: 0 });
    expect(parseCreateOrder({ businessId: 9999 }, [0, 9999])).toEqual({ businessId: 9999 });
  });

  it('refuses a body without businessId with 400, naming businessId', () => {
    const sut = rejection({});
    expect(sut).toMatchObject({ statusCode: 400, field: 'businessId' });
    expect(sut.message).toMatch(/businessId.*required/);
  });

  it.each([
    ['a string', '1001'],
    ['a float', 1001.5],
    ['null', null],
    ['a boolean', true],
    ['an array', [1001]],
    ['an object', { id: 1001 }],
  ])('refuses businessId as %s with 400', (_label, businessId) => {
    const sut = rejection({ businessId });
    expect(sut).toMatchObject({ statusCode: 400, field: 'businessId' });
    expect(sut.message).toContain('businessId must be an integer');
  });

  it('refuses an extra field with 400, naming that field', () => {
    const sut = rejection({ businessId: 1001, quantity: 2 });
    expect(sut).toMatchObject({ statusCode: 400, field: 'quantity' });
    expect(sut.message).toContain('quantity');
    expect(sut.message).toContain('only businessId');
  });

  it('names every extra field in the message', () => {
    const sut = rejection({ businessId: 1001, quantity: 2, note: 'x' });
    expect(sut.statusCode).toBe(400);
    expect(sut.message).toContain('quantity');
    expect(sut.message).toContain('note');
  });

  it.each([
    ['null', null],
    ['an array', [{ businessId: 1001 }]],
    ['a string', '{"businessId": 1001}'],
    ['undefined', undefined],
    ['a number', 1001],
  ])('refuses %s as the body with 400', (_label, body) => {
    const sut = rejection(body);
    expect(sut).toMatchObject({ statusCode: 400, field: 'body' });
    expect(sut.message).toContain('JSON object');
  });

  it.each([-1, 10000, 123456])('refuses businessId %i, outside 0..9999, with 422', (businessId) => {
    const sut = rejection({ businessId }, [...LINES, businessId]);
    expect(sut).toMatchObject({ statusCode: 422, field: 'businessId' });
    expect(sut.message).toContain('0..9999');
    expect(sut.message).toContain(String(businessId));
  });

  it('refuses an unregistered business line with 422, listing the registered ones', () => {
    const sut = rejection({ businessId: 1002 });
    expect(sut).toMatchObject({ statusCode: 422, field: 'businessId' });
    expect(sut.message).toContain('1002');
    expect(sut.message).toContain('1001, 2001, 3001, 4001');
  });

  it('checks against the lines it is given, not a fixed list', () => {
    expect(parseCreateOrder({ businessId: 7 }, [7])).toEqual({ businessId: 7 });
    expect(rejection({ businessId: 1001 }, [7]).statusCode).toBe(422);
  });
});
