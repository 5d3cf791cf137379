import { renderZooCfg } from './zoo-cfg';

function parse(cfg: string): Map<string, string> {
  return new Map(cfg.trimEnd().split('\n').map((line) => line.split('=', 2) as [string, string]));
}

describe('renderZooCfg', () => {
  it('renders a standalone server on loopback with 4lw on and the admin server off', () => {
    const sut = parse(renderZooCfg({ dataDir: '/data/zk', clientPort: 2181 }));
    expect(Object.fromEntries(sut)).toEqual({
      tickTime: '500',
      minSessionTimeout: '1000',
      maxSessionTimeout: '10000',
      initLimit: '10',
      syncLimit: '5',
      dataDir: '/data/zk',
      clientPort: '2181',
      clientPortAddress: '127.0.0.1',
      'admin.enableServer': 'false',
      '4lw.commands.whitelist': '*',
      maxClientCnxns: '0',
    });
  });

  it('derives the session timeout bounds from the tick', () => {
    const sut = parse(renderZooCfg({ dataDir: '/d', clientPort: 1, tickTimeMs: 200 }));
    expect([sut.get('tickTime'), sut.get('minSessionTimeout'), sut.get('maxSessionTimeout')]).toEqual(['200', '400', '4000']);
  });

  it('lists every member with its peer and election port', () => {
    const members = [
      { id: 1, clientPort: 2181, peerPort: 2888, electionPort: 3888 },
      { id: 2, clientPort: 2182, peerPort: 2889, electionPort: 3889 },
      { id: 3, clientPort: 2183, peerPort: 2890, electionPort: 3890 },
    ];
    const sut = renderZooCfg({ dataDir: '/d', clientPort: 2182, members });
    expect(sut.split('\n').filter((line) => line.startsWith('server.'))).toEqual([
      'server.1=127.0.0.1:2888:3888',
      'server.2=127.0.0.1:2889:3889',
      'server.3=127.0.0.1:2890:3890',
    ]);
    expect(parse(sut).get('clientPort')).toBe('2182');
  });

  it('lets settings override defaults without repeating the key', () => {
    const sut = renderZooCfg({ dataDir: '/d', clientPort: 1, settings: { maxClientCnxns: 60, forceSync: 'no' } });
    expect(sut.match(/^maxClientCnxns=/gm)).toHaveLength(1);
    expect(parse(sut).get('maxClientCnxns')).toBe('60');
    expect(parse(sut).get('forceSync')).toBe('no');
  });

  it('rejects a value that would inject another line', () => {
    expect(() => renderZooCfg({ dataDir: '/d\nclientPort=1', clientPort: 2 })).toThrow(/dataDir contains a line break/);
  });
});
