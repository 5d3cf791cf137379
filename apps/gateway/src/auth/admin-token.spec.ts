import { AdminToken, MissingAdminTokenError, WrongAdminTokenError } from './admin-token';

describe('AdminToken', () => {
  const sut = new AdminToken('the-right-token-0123456789');

  it('lets the bearer of the token through', () => {
    expect(() => sut.check('Bearer the-right-token-0123456789', 'PUT /config')).not.toThrow();
    expect(() => sut.check('bearer  the-right-token-0123456789 ', 'PUT /config')).not.toThrow();
  });

  it.each([undefined, '', 'Basic dXNlcjpwYXNz', 'Bearer', 'the-right-token-0123456789'])('answers %j with "missing" (401)', (header) => {
    expect(() => sut.check(header, 'PUT /config')).toThrow(MissingAdminTokenError);
  });

  it.each(['Bearer the-right-token-012345678', 'Bearer the-right-token-01234567890', 'Bearer x'])('answers %j with "wrong" (401)', (header) => {
    const error = (() => {
      try {
        sut.check(header, 'PUT /config');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(WrongAdminTokenError);
    expect(error).toMatchObject({ statusCode: 401 });
    expect((error as WrongAdminTokenError).responseHeaders()).toEqual({ 'www-authenticate': 'Bearer realm="ordernum"' });
  });

  it('checks nothing when no token is configured', () => {
    const open = new AdminToken(undefined);
    expect(open.enabled).toBe(false);
    expect(() => open.check(undefined, 'PUT /config')).not.toThrow();
  });
});
