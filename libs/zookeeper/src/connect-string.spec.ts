import { InvalidConnectStringError, parseConnectString } from './connect-string';

describe('parseConnectString', () => {
  it('reads one server', () => {
    expect(parseConnectString('127.0.0.1:2181')).toEqual([{ host: '127.0.0.1', port: 2181 }]);
  });

  it('reads an ensemble in the given order', () => {
    const sut = parseConnectString('zk-0.zk:2181,zk-1.zk:2182,zk-2.zk:2183');
    expect(sut).toEqual([
      { host: 'zk-0.zk', port: 2181 },
      { host: 'zk-1.zk', port: 2182 },
      { host: 'zk-2.zk', port: 2183 },
    ]);
  });

  it('defaults a missing port to 2181', () => {
    expect(parseConnectString('a,b:2300')).toEqual([{ host: 'a', port: 2181 }, { host: 'b', port: 2300 }]);
  });

  it('returns ports as numbers', () => {
    expect(typeof parseConnectString('a:2300')[0].port).toBe('number');
  });

  it('ignores a chroot suffix', () => {
    expect(parseConnectString('a:2181,b:2182/ordernum/chroot')).toEqual([{ host: 'a', port: 2181 }, { host: 'b', port: 2182 }]);
    expect(parseConnectString('a:2181/')).toEqual([{ host: 'a', port: 2181 }]);
  });

  it.each(['', 'a,,b', 'a:2181,', ',a'])('refuses the empty entry in %p', (connect) => {
    expect(() => parseConnectString(connect)).toThrow(/empty/);
  });

  it.each(['a:2181//x', 'a:2181/x/', 'a:2181/x/..'])('refuses the chroot of %p', (connect) => {
    expect(() => parseConnectString(connect)).toThrow(/chroot/);
  });

  it('reads host:2181/chroot as port 2181 (the last colon is not the port separator)', () => {
    expect(parseConnectString('zk:2181/ordernum')).toEqual([{ host: 'zk', port: 2181 }]);
  });

  it('is a bad input naming ZK_CONNECT', () => {
    expect(() => parseConnectString('zk:0')).toThrow(expect.objectContaining({ statusCode: 400, field: 'ZK_CONNECT' }));
  });

  it.each([
    ['zk:abc', 'zk:abc'],
    ['zk:99999', 'zk:99999'],
    ['zk:0', 'zk:0'],
    ['zk:', 'zk:'],
    ['a:2181,b:0x50', 'b:0x50'],
    ['a:2181,b:1e3', 'b:1e3'],
    [':2181', ':2181'],
    ['a:1:2', 'a:1:2'],
    ['a b:2181', 'a b:2181'],
    ['zk:-1', 'zk:-1'],
  ])('refuses %p instead of returning a port that is not one, naming %p', (connect, entry) => {
    const sut = () => parseConnectString(connect);
    expect(sut).toThrow(InvalidConnectStringError);
    expect(sut).toThrow(`"${entry}"`);
    try {
      sut();
    } catch (error) {
      expect(error).toMatchObject({ connect, entry });
    }
  });

  it('says IPv6 is not supported rather than reading host "["', () => {
    expect(() => parseConnectString('[::1]:2181')).toThrow(/IPv6.*not supported/);
  });
});
