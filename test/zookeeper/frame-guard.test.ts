import { Client, createClient } from 'node-zookeeper-client';
import { guardFrames, parseConnectString } from '@app/zookeeper';
import { eventually, requireEnv, useBackends } from '../support/backends';
import { ZookeeperProxy } from '../support/zookeeper-proxy';

// node-zookeeper-client misreads two well-formed byte streams; see libs/zookeeper/src/frame-guard.ts.

const backends = useBackends();
/** ConnectionManager.STATES.CLOSED in node-zookeeper-client 1.1.3: closed for good, no reconnection. */
const CLOSED = -2;

/** The library's own connection state; its Client reports none before a first connection. */
function managerState(client: Client): number {
  return (client as unknown as { connectionManager: { state: number } }).connectionManager.state;
}
let proxy: ZookeeperProxy;

beforeAll(async () => {
  const [server] = parseConnectString(requireEnv('TEST_ZK_CONNECT'));
  proxy = await ZookeeperProxy.start(server);
});
afterAll(() => proxy.close());

describe('node-zookeeper-client behind the frame guard, on a real server', () => {
  it('closed while its handshake is unanswered, it closes instead of throwing from its socket handler', async () => {
    const misread: Error[] = [];
    const client = createClient(proxy.connectString, { sessionTimeout: 4000, retries: 0 });
    guardFrames(client, (error) => misread.push(error));
    const held = proxy.holdNextHandshakeAnswer();
    client.connect();
    const release = await held;
    // Nothing is queued, so close() sends its request at once, with xid 0: the ConnectResponse
    // is then read as its reply. Unguarded, that throws out of the socket's data handler.
    client.close();
    release();
    await eventually('the client to be closed', () => managerState(client) === CLOSED);
    // The misread depends on the session id's low bits, zero once in 65,536 sessions.
    expect(misread.length).toBeLessThanOrEqual(1);
  });

  it('a connection cut in the middle of a reply leaves nothing behind for the next connection to misread', async () => {
    const session = await backends.zookeeper(proxy.connectString, 6000);
    const before = session.sessionId;
    const cut = proxy.cutInsideNextReply();
    void session.api().exists('/').catch(() => undefined); // its reply, or a probe's, is the one cut
    await cut;
    await eventually('a request to be answered again', () => session.api().exists('/').then(() => true, () => false), 20_000, 50);
    expect(session.sessionId).toBe(before);
    expect(session.state).toBe('connected');
  });
});
