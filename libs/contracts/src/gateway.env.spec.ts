import { InvalidConfigError } from '@app/config';
import { GATEWAY_ENV_VARS, LB_POLICIES, loadGatewayConfig } from './gateway.env';

/** The error `loadGatewayConfig(env)` throws; fails the test if it does not throw one. */
function rejection(env: NodeJS.ProcessEnv): InvalidConfigError {
  try {
    loadGatewayConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidConfigError);
    return error as InvalidConfigError;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('loadGatewayConfig', () => {
  it('has the documented defaults', () => {
    const sut = loadGatewayConfig({});
    expect(sut).toEqual({
      HOST: '127.0.0.1',
      GATEWAY_PORT: 3000,
      ZK_CONNECT: '127.0.0.1:2181',
      ZK_ROOT: '/ordernum',
      ZK_SESSION_TIMEOUT_MS: 4000,
      LB_POLICY: 'round-robin',
      RPC_TIMEOUT_MS: 10000,
      LOG_LEVEL: 'log',
    });
  });

  it('waits for replies longer than a replica may take, so that the replica’s own 503 arrives', () => {
    // The order service's REQUEST_TIMEOUT_MS defaults to 8000.
    expect(loadGatewayConfig({}).RPC_TIMEOUT_MS).toBeGreaterThan(8000);
  });

  it.each(LB_POLICIES)('accepts LB_POLICY=%s', (policy) => {
    expect(loadGatewayConfig({ LB_POLICY: policy }).LB_POLICY).toBe(policy);
  });

  it.each(['weighted', 'roundrobin', 'Round-Robin', ''])('refuses LB_POLICY=%p, listing the valid ones', (value) => {
    const sut = rejection({ LB_POLICY: value });
    expect(sut.problems).toHaveLength(1);
    expect(sut.message).toContain('LB_POLICY');
    for (const policy of ['round-robin', 'random', 'least-active']) expect(sut.message).toContain(policy);
  });

  it.each([['1', 1], ['8080', 8080], ['65535', 65535]])('accepts GATEWAY_PORT=%s', (value, port) => {
    expect(loadGatewayConfig({ GATEWAY_PORT: value }).GATEWAY_PORT).toBe(port);
  });

  it.each(['0', '65536', '-80', 'http', '80.5'])('refuses GATEWAY_PORT=%p', (value) => {
    expect(rejection({ GATEWAY_PORT: value }).problems).toEqual([expect.stringMatching(/^GATEWAY_PORT: /)]);
  });

  it.each(
    ['GATEWAY_PORT', 'ZK_SESSION_TIMEOUT_MS', 'RPC_TIMEOUT_MS'].flatMap((name) =>
      ['0x50', '1e4', ' ', '+80', '8e3'].map((value) => [name, value]),
    ),
  )('refuses %s=%p: decimal digits only, naming the variable', (name, value) => {
    expect(rejection({ [name]: value }).problems).toEqual([expect.stringMatching(new RegExp(`^${name}: .*decimal digits`))]);
  });

  it.each(['//a', '/a//b', '/a/..', '/.'])('refuses ZK_ROOT=%p, which ZooKeeper would refuse', (value) => {
    expect(rejection({ ZK_ROOT: value }).problems).toEqual([expect.stringMatching(/^ZK_ROOT: an absolute znode path/)]);
  });

  it.each(['zk:abc', 'zk:99999', '[::1]:2181'])('refuses ZK_CONNECT=%p, naming the entry', (value) => {
    const sut = rejection({ ZK_CONNECT: value });
    expect(sut.problems).toEqual([expect.stringMatching(/^ZK_CONNECT: /)]);
    expect(sut.message).toContain(`"${value}"`);
  });

  it('refuses a bad ZK_ROOT, naming it', () => {
    expect(rejection({ ZK_ROOT: 'ordernum/' }).message).toContain('ZK_ROOT');
  });

  it('lists every variable it reads', () => {
    const withOptional = loadGatewayConfig({ ZK_AUTH: 'ordernum:secret', ADMIN_TOKEN: 'a-token-of-24-characters' });
    expect([...GATEWAY_ENV_VARS].sort()).toEqual(Object.keys(withOptional).sort());
  });

  it('reads ZK_AUTH as user and password, and refuses one without a password', () => {
    expect(loadGatewayConfig({ ZK_AUTH: 'ordernum:pa:ss' }).ZK_AUTH).toEqual({ user: 'ordernum', password: 'pa:ss' });
    expect(() => loadGatewayConfig({ ZK_AUTH: 'ordernum' })).toThrow(/ZK_AUTH: must be user:password/);
  });

  it('refuses an ADMIN_TOKEN short enough to guess or with a space', () => {
    expect(() => loadGatewayConfig({ ADMIN_TOKEN: 'short' })).toThrow(/ADMIN_TOKEN: 16\.\.256 printable/);
    expect(() => loadGatewayConfig({ ADMIN_TOKEN: 'sixteen chars ok?' })).toThrow(/ADMIN_TOKEN/);
    expect(loadGatewayConfig({}).ADMIN_TOKEN).toBeUndefined();
  });
});
