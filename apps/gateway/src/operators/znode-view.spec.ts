import type { Stat } from 'node-zookeeper-client';
import { InvalidTreeQueryError } from './operator.errors';
import { MAX_DATA_BYTES, parseTreeDepth, parseZnodePath, znodeView } from './znode-view';

function long(value: bigint): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigInt64BE(value);
  return buffer;
}

function stat(overrides: Partial<Stat> = {}): Stat {
  const zero = long(0n);
  return {
    czxid: zero, mzxid: zero, pzxid: zero, cversion: 0, aversion: 0, version: 3, dataLength: 0, numChildren: 2,
    ctime: long(1_700_000_000_000n), mtime: long(1_700_000_001_000n), ephemeralOwner: zero,
    ...overrides,
  };
}

describe('znodeView', () => {
  it('parses JSON data, keeps text as text and shows no data as null', () => {
    expect(znodeView('/a', Buffer.from('{"x":1}'), stat()).data).toEqual({ x: 1 });
    expect(znodeView('/a', Buffer.from('null'), stat()).data).toBeNull();
    expect(znodeView('/a', Buffer.from('not json'), stat()).data).toBe('not json');
    expect(znodeView('/a', undefined, stat()).data).toBeNull();
    expect(znodeView('/a', Buffer.alloc(0), stat()).data).toBeNull();
  });

  it('cuts big data without parsing it or leaving half a character', () => {
    const sut = znodeView('/a', Buffer.from(`${'x'.repeat(MAX_DATA_BYTES - 1)}é and more`), stat());
    expect(sut).toMatchObject({ data: 'x'.repeat(MAX_DATA_BYTES - 1), dataTruncated: true });
  });

  it('renders the stat: times as ISO, the owner as ZooKeeper prints session ids', () => {
    expect(znodeView('/a', undefined, stat()).stat).toEqual({
      version: 3, numChildren: 2, dataLength: 0, ephemeral: false, ephemeralOwner: null,
      ctime: '2023-11-14T22:13:20.000Z', mtime: '2023-11-14T22:13:21.000Z',
      czxid: '0x0', mzxid: '0x0', pzxid: '0x0', cversion: 0, aversion: 0,
    });
    expect(znodeView('/a', undefined, stat({ czxid: long(0x2an), mzxid: long(0x1000000b3n), cversion: 4 })).stat).toMatchObject({
      czxid: '0x2a',
      mzxid: '0x1000000b3',
      cversion: 4,
    });
    expect(znodeView('/a', undefined, stat({ ephemeralOwner: long(0x1000a2b3c4d0001n) })).stat).toMatchObject({
      ephemeral: true,
      ephemeralOwner: '0x1000a2b3c4d0001',
    });
  });
});

describe('parseZnodePath', () => {
  it.each(['/', '/ordernum', '/a/b-c_d.e', '/_c_1-lock-0000000001', '/a/host:3000'])('accepts %p', (path) => {
    expect(parseZnodePath(path)).toBe(path);
  });

  it.each([undefined, ['/a', '/b'], '', 'a', '/a/', '//a', '/a/./b', '/a/..', '/a\u0000b'])('refuses %p', (path) => {
    expect(() => parseZnodePath(path)).toThrow(InvalidTreeQueryError);
  });
});

describe('parseTreeDepth', () => {
  it('defaults to 2 and accepts 0 to 5', () => {
    expect(parseTreeDepth(undefined)).toBe(2);
    expect([0, 1, 5].map((depth) => parseTreeDepth(String(depth)))).toEqual([0, 1, 5]);
  });

  it.each(['6', '-1', '1.5', 'x', '', ['1', '2']])('refuses %p', (depth) => {
    expect(() => parseTreeDepth(depth)).toThrow(InvalidTreeQueryError);
  });
});
