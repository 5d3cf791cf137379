import { InvalidConfigError } from '@app/config';
import { STRATEGY_NAMES } from './strategy-name';
import { loadOrderServiceConfig, ORDER_SERVICE_ENV_VARS } from './order-service.env';

/** The error `loadOrderServiceConfig(env)` throws; fails the test if it does not throw one. */
function rejection(env: NodeJS.ProcessEnv): InvalidConfigError {
  try {
    loadOrderServiceConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidConfigError);
    return error as InvalidConfigError;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('loadOrderServiceConfig', () => {
  it('has the documented defaults', () => {
    const sut = loadOrderServiceConfig({});
    expect(sut).toMatchObject({
      ORDER_STRATEGY: 'zookeeper',
      BUSINESS_LINES: [1001, 2001, 3001, 4001],
      HTTP_PORT: 3101,
      TCP_PORT: 4101,
      LOCK_FENCING: true,
      ZK_ROOT: '/ordernum',
      ZK_CONNECT: '127.0.0.1:2181',
      REDIS_URL: 'redis://127.0.0.1:6379',
      FAULT_PAUSE_EVERY: 0,
      FAULT_PAUSE_MS: 0,
    });
    expect(sut.POOL_LOW_WATER).toBeLessThan(sut.POOL_SIZE);
  });

  it('does not read process.env when given an env', () => {
    const saved = process.env.ORDER_STRATEGY;
    process.env.ORDER_STRATEGY = 'redis';
    try {
      expect(loadOrderServiceConfig({}).ORDER_STRATEGY).toBe('zookeeper');
    } finally {
      if (saved === undefined) delete process.env.ORDER_STRATEGY;
      else process.env.ORDER_STRATEGY = saved;
    }
  });

  it('reads set variables, numbers as numbers', () => {
    const sut = loadOrderServiceConfig({
      ORDER_STRATEGY: 'snowflake',
      HTTP_PORT: '8080',
      BUSINESS_LINES: ' 7 , 0,9999 ',
      LOCK_FENCING: 'off',
    });
    expect(sut).toMatchObject({ ORDER_STRATEGY: 'snowflake', HTTP_PORT: 8080, BUSINESS_LINES: [7, 0, 9999], LOCK_FENCING: false });
  });

  it.each(STRATEGY_NAMES)('accepts ORDER_STRATEGY=%s', (name) => {
    expect(loadOrderServiceConfig({ ORDER_STRATEGY: name }).ORDER_STRATEGY).toBe(name);
  });

  it.each(['zk', 'ZOOKEEPER', 'unlocked', ''])('refuses ORDER_STRATEGY=%p, naming it and listing the valid names', (value) => {
    const sut = rejection({ ORDER_STRATEGY: value });
    expect(sut.message).toContain('ORDER_STRATEGY');
    for (const name of STRATEGY_NAMES) expect(sut.message).toContain(name);
    expect(sut.problems).toHaveLength(1);
  });

  it.each([
    ['non-numeric', 'abc'],
    ['one non-numeric entry', '1001,x'],
    ['empty', ''],
    ['only commas', ',,'],
    ['above 9999', '1001,10000'],
    ['negative', '-1'],
    ['fractional', '1001.5'],
    ['a duplicate', '1001,2001,1001'],
  ])('refuses BUSINESS_LINES %s (%p), naming it', (_label, value) => {
    expect(rejection({ BUSINESS_LINES: value }).message).toMatch(/BUSINESS_LINES: /);
  });

  it('says which rule a duplicate business line breaks', () => {
    expect(rejection({ BUSINESS_LINES: '1001,1001' }).message).toContain('twice');
  });

  it.each([['on', true], ['off', false]])('reads LOCK_FENCING=%s', (value, expected) => {
    expect(loadOrderServiceConfig({ LOCK_FENCING: value }).LOCK_FENCING).toBe(expected);
  });

  it.each(['true', 'false', 'yes', '1', 'ON', ''])('refuses LOCK_FENCING=%p', (value) => {
    const sut = rejection({ LOCK_FENCING: value });
    expect(sut.message).toContain('LOCK_FENCING');
    expect(sut.message).toMatch(/on.*off/);
  });

  it.each([
    ['100', '100'],
    ['101', '100'],
  ])('refuses POOL_LOW_WATER=%s with POOL_SIZE=%s, naming POOL_LOW_WATER', (low, size) => {
    const sut = rejection({ POOL_LOW_WATER: low, POOL_SIZE: size });
    expect(sut.problems).toEqual([expect.stringMatching(/^POOL_LOW_WATER: .*POOL_SIZE/)]);
  });

  it('accepts POOL_LOW_WATER just below POOL_SIZE', () => {
    expect(loadOrderServiceConfig({ POOL_LOW_WATER: '99', POOL_SIZE: '100' })).toMatchObject({ POOL_LOW_WATER: 99, POOL_SIZE: 100 });
  });

  it.each(['/ordernum', '/a/b-c_d.e', '/x1'])('accepts ZK_ROOT=%p', (value) => {
    expect(loadOrderServiceConfig({ ZK_ROOT: value }).ZK_ROOT).toBe(value);
  });

  it.each(['ordernum', '/ordernum/', '/', '', '/order num', '/a$b'])('refuses ZK_ROOT=%p', (value) => {
    expect(rejection({ ZK_ROOT: value }).message).toContain('ZK_ROOT');
  });

  it.each(['redis://127.0.0.1:6379', 'redis://redis:6379/0', 'rediss://cache.example:6380'])('accepts REDIS_URL=%p', (value) => {
    expect(loadOrderServiceConfig({ REDIS_URL: value }).REDIS_URL).toBe(value);
  });

  it.each(['127.0.0.1:6379', 'http://127.0.0.1:6379', 'redis:/127.0.0.1', ''])('refuses REDIS_URL=%p', (value) => {
    const sut = rejection({ REDIS_URL: value });
    expect(sut.message).toContain('REDIS_URL');
    expect(sut.message).toContain('redis://');
  });

  it('connects to one Redis unless Sentinels are named, and then asks them for the primary "ordernum"', () => {
    const standalone = loadOrderServiceConfig({});
    expect(standalone.REDIS_SENTINELS).toBeUndefined();
    expect(standalone).toMatchObject({ REDIS_MASTER_NAME: 'ordernum', REDIS_WAIT_REPLICAS: 0 });
    expect(loadOrderServiceConfig({ REDIS_SENTINELS: 'redis-sentinel:26379' })).toMatchObject({
      REDIS_SENTINELS: [{ host: 'redis-sentinel', port: 26379 }],
      REDIS_MASTER_NAME: 'ordernum',
    });
  });

  it.each(['mysql://root@127.0.0.1:3306/ordernum', 'mysql://app:s3cret@mariadb:3306/orders_1'])('accepts DATABASE_URL=%p', (value) => {
    expect(loadOrderServiceConfig({ DATABASE_URL: value }).DATABASE_URL).toBe(value);
  });

  it.each(['postgres://127.0.0.1/ordernum', 'mysql://127.0.0.1:3306', 'mysql://127.0.0.1/a;drop', ''])('refuses DATABASE_URL=%p', (value) => {
    const sut = rejection({ DATABASE_URL: value });
    expect(sut.message).toContain('DATABASE_URL');
    expect(sut.message).toContain('mysql://');
  });

  it.each(['0', '65536', 'abc', '3101.5', '-1'])('refuses HTTP_PORT=%p', (value) => {
    expect(rejection({ HTTP_PORT: value }).message).toContain('HTTP_PORT');
  });

  const NUMERIC = [
    'HTTP_PORT',
    'TCP_PORT',
    'ZK_SESSION_TIMEOUT_MS',
    'LOCK_TTL_MS',
    'LOCK_WAIT_MS',
    'REQUEST_TIMEOUT_MS',
    'POOL_SIZE',
    'POOL_LOW_WATER',
    'FAULT_PAUSE_EVERY',
    'FAULT_PAUSE_MS',
  ];

  it.each(NUMERIC.flatMap((name) => ['0x50', '1e3', ' ', '', '+80', '80.0', 'Infinity'].map((value) => [name, value])))(
    'refuses %s=%p: decimal digits only, naming the variable',
    (name, value) => {
      expect(rejection({ [name]: value }).problems).toEqual([expect.stringMatching(new RegExp(`^${name}: .*decimal digits`))]);
    },
  );

  it('reads every numeric variable written in decimal digits', () => {
    const sut = loadOrderServiceConfig({
      HTTP_PORT: '80',
      TCP_PORT: '0081',
      ZK_SESSION_TIMEOUT_MS: '1000',
      LOCK_TTL_MS: '50',
      LOCK_WAIT_MS: '10',
      REQUEST_TIMEOUT_MS: '600000',
      POOL_SIZE: '1000000',
      POOL_LOW_WATER: '1',
      FAULT_PAUSE_EVERY: '7',
      FAULT_PAUSE_MS: '0',
    });
    expect(sut).toMatchObject({
      HTTP_PORT: 80,
      TCP_PORT: 81,
      ZK_SESSION_TIMEOUT_MS: 1000,
      LOCK_TTL_MS: 50,
      LOCK_WAIT_MS: 10,
      REQUEST_TIMEOUT_MS: 600000,
      POOL_SIZE: 1000000,
      POOL_LOW_WATER: 1,
      FAULT_PAUSE_EVERY: 7,
      FAULT_PAUSE_MS: 0,
    });
  });

  it.each(['0x3E9', '1e3', '+1001', '1001.0'])('refuses BUSINESS_LINES=%p, which Number() would read', (value) => {
    expect(rejection({ BUSINESS_LINES: value }).message).toMatch(/BUSINESS_LINES: /);
  });

  it.each(['//a', '/a//b', '/a/..', '/.', '/..', '/a/./b'])('refuses ZK_ROOT=%p, which ZooKeeper would refuse', (value) => {
    expect(rejection({ ZK_ROOT: value }).problems).toEqual([expect.stringMatching(/^ZK_ROOT: an absolute znode path/)]);
  });

  it.each([
    ['zk:abc', 'zk:abc'],
    ['zk:99999', 'zk:99999'],
    ['a:2181,b:', 'b:'],
    ['[::1]:2181', '[::1]:2181'],
  ])('refuses ZK_CONNECT=%p, naming the entry', (value, entry) => {
    const sut = rejection({ ZK_CONNECT: value });
    expect(sut.problems).toEqual([expect.stringMatching(/^ZK_CONNECT: /)]);
    expect(sut.message).toContain(`"${entry}"`);
  });

  it('names every bad variable at once', () => {
    const sut = rejection({ ORDER_STRATEGY: 'nope', TCP_PORT: '0', LOCK_FENCING: 'maybe' });
    expect(sut.problems.map((problem) => problem.split(':')[0]).sort()).toEqual(['LOCK_FENCING', 'ORDER_STRATEGY', 'TCP_PORT']);
  });
});

describe('HISTORY_DIR', () => {
  it('is off unless set, and an absolute path when set', () => {
    expect(loadOrderServiceConfig({}).HISTORY_DIR).toBeUndefined();
    expect(loadOrderServiceConfig({ HISTORY_DIR: '/tmp/history' }).HISTORY_DIR).toBe('/tmp/history');
    expect(() => loadOrderServiceConfig({ HISTORY_DIR: 'history' })).toThrow(/HISTORY_DIR/);
  });
});

describe('ORDER_SERVICE_ENV_VARS', () => {
  it('lists the variables the deployment files rely on', () => {
    expect(ORDER_SERVICE_ENV_VARS).toEqual(expect.arrayContaining([
      'ORDER_STRATEGY', 'BUSINESS_LINES', 'REPLICA_ID', 'HOST', 'ADVERTISE_HOST', 'HTTP_PORT', 'TCP_PORT',
      'ZK_CONNECT', 'ZK_ROOT', 'ZK_SESSION_TIMEOUT_MS', 'REDIS_URL', 'REDIS_PREFIX', 'LOCK_FENCING',
      'LOCK_TTL_MS', 'LOCK_WAIT_MS', 'REQUEST_TIMEOUT_MS', 'POOL_SIZE', 'POOL_LOW_WATER',
      'FAULT_PAUSE_EVERY', 'FAULT_PAUSE_MS', 'LOG_LEVEL',
    ]));
    expect(new Set(ORDER_SERVICE_ENV_VARS).size).toBe(ORDER_SERVICE_ENV_VARS.length);
  });

  it('is exactly the set of keys the loaded config has, so no variable is read unlisted', () => {
    const sut = loadOrderServiceConfig({ REPLICA_ID: 'order-1', ADVERTISE_HOST: 'order-1.local', HISTORY_DIR: '/tmp/h', ZK_AUTH: 'ordernum:secret',
      REDIS_SENTINELS: 'a:1', NOT_OURS: 'x' });
    expect(Object.keys(sut).sort()).toEqual([...ORDER_SERVICE_ENV_VARS].sort());
  });
});
