import { createServer, Server } from 'node:net';
import { fourLetterWord, FourLetterWordError, parseMntr, parseSrvr } from './four-letter-words';

// Captured from the Debian ZooKeeper 3.8.0 on this machine.
const STANDALONE_SRVR = [
  'Zookeeper version: 3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC',
  'Latency min/avg/max: 0/0.25/3',
  'Received: 12',
  'Sent: 11',
  'Connections: 1',
  'Outstanding: 0',
  'Zxid: 0x10000002a',
  'Mode: standalone',
  'Node count: 5',
  '',
].join('\n');

describe('parseSrvr', () => {
  it('reads the mode and the counters of a serving server', () => {
    const sut = parseSrvr(STANDALONE_SRVR);
    expect(sut).toEqual({
      mode: 'standalone',
      version: '3.8.0-${mvngit.commit.id}',
      zxid: 0x10000002an,
      latency: { min: 0, avg: 0.25, max: 3 },
      received: 12,
      sent: 11,
      connections: 1,
      outstanding: 0,
      nodeCount: 5,
    });
  });

  it.each(['leader', 'follower', 'observer'] as const)('recognises Mode: %s', (mode) => {
    expect(parseSrvr(STANDALONE_SRVR.replace('Mode: standalone', `Mode: ${mode}`)).mode).toBe(mode);
  });

  it('has no mode while the server is not serving', () => {
    expect(parseSrvr('This ZooKeeper instance is not currently serving requests\n')).toEqual({ mode: undefined });
  });

  it('has no mode for an unknown one instead of guessing', () => {
    expect(parseSrvr('Mode: looking\n').mode).toBeUndefined();
  });
});

describe('parseMntr', () => {
  it('turns tab-separated lines into numbers where they are numbers', () => {
    const sut = parseMntr(
      'zk_version\t3.8.0-x, built on 2024\nzk_server_state\tleader\nzk_avg_latency\t0.5\nzk_znode_count\t5\nzk_last_client_response_size\t-1\n',
    );
    expect(sut).toEqual({
      zk_version: '3.8.0-x, built on 2024',
      zk_server_state: 'leader',
      zk_avg_latency: 0.5,
      zk_znode_count: 5,
      zk_last_client_response_size: -1,
    });
  });
});

describe('fourLetterWord', () => {
  let server: Server;
  let port: number;
  let received: string[];
  let answer: ((socket: import('node:net').Socket) => void) | undefined;

  beforeAll(async () => {
    server = createServer((socket) => {
      socket.on('data', (data) => {
        received.push(data.toString());
        answer?.(socket);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  beforeEach(() => {
    received = [];
    answer = undefined;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends the word and collects a reply written in pieces until the server closes', async () => {
    answer = (socket) => {
      socket.write('Mode: ');
      setTimeout(() => socket.end('leader\n'), 20);
    };
    await expect(fourLetterWord('127.0.0.1', port, 'srvr', 1000)).resolves.toBe('Mode: leader\n');
    expect(received).toEqual(['srvr']);
  });

  it('rejects with a typed timeout error when the server never answers', async () => {
    const error = await fourLetterWord('127.0.0.1', port, 'mntr', 100).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FourLetterWordError);
    expect(error).toMatchObject({ host: '127.0.0.1', port, command: 'mntr', failure: 'timeout' });
  });

  it('rejects with failure "refused" when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const address = closed.address();
    const closedPort = typeof address === 'object' && address ? address.port : 0;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await fourLetterWord('127.0.0.1', closedPort, 'srvr', 1000).catch((e: unknown) => e);
    expect(error).toMatchObject({ failure: 'refused', port: closedPort });
    expect((error as Error).message).toContain(`127.0.0.1:${closedPort}`);
    expect((error as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('refuses anything that is not four lower-case letters', async () => {
    await expect(fourLetterWord('127.0.0.1', port, 'srvr\nkill', 100)).rejects.toThrow(RangeError);
  });
});
