import { z } from 'zod';
import {
  businessLinesSchema,
  enabledLogLevels,
  envIntegerSchema,
  InvalidConfigError,
  logLevelSchema,
  parseConfig,
  portSchema,
  redisMasterNameSchema,
  redisSentinelsSchema,
  zkConnectSchema,
  zkRootSchema,
} from './env-schema';

/** The problems `parseConfig` reports for `env` under `shape`; fails the test if it accepts. */
function problems(shape: z.ZodRawShape, env: NodeJS.ProcessEnv): string[] {
  try {
    parseConfig(z.object(shape), env);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidConfigError);
    return (error as InvalidConfigError).problems;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('envIntegerSchema', () => {
  const sut = envIntegerSchema(1, 65535);

  it.each([['1', 1], ['80', 80], ['0080', 80], ['65535', 65535]])('reads %p as %p', (text, value) => {
    expect(sut.parse(text)).toBe(value);
  });

  it('takes a default given as a number through the same check', () => {
    expect(sut.default(3101).parse(undefined)).toBe(3101);
    expect(() => sut.default(0).parse(undefined)).toThrow();
  });

  it.each([
    '0x50',
    '0o120',
    '0b1010000',
    '1e3',
    '8e1',
    ' ',
    '',
    ' 80',
    '80 ',
    '+80',
    '-80',
    '80.0',
    '80.5',
    'Infinity',
    'NaN',
    '0',
    '65536',
    '99999999999999999999',
  ])('refuses %p, naming the variable and the rule', (text) => {
    expect(problems({ HTTP_PORT: sut }, { HTTP_PORT: text })).toEqual(['HTTP_PORT: an integer 1..65535 in decimal digits']);
  });

  it('accepts a leading - only when negatives are in range', () => {
    expect(envIntegerSchema(-10, 10).parse('-7')).toBe(-7);
    expect(() => envIntegerSchema(0, 10).parse('-0')).toThrow();
    expect(() => envIntegerSchema(-10, 10).parse('--7')).toThrow();
  });

  it('is what portSchema is', () => {
    expect(portSchema.parse('8080')).toBe(8080);
    expect(portSchema.safeParse('0x1F90').success).toBe(false);
  });
});

describe('businessLinesSchema', () => {
  it('reads decimal business IDs, spaces around them allowed', () => {
    expect(businessLinesSchema.parse(' 7 , 0,9999,0042 ')).toEqual([7, 0, 9999, 42]);
  });

  it.each(['0x3E9', '1e3', '+1001', '1001.0', '-0', '1001,0x7D1', '10000', '1 001', 'Infinity'])(
    'refuses %p, naming BUSINESS_LINES',
    (text) => {
      expect(problems({ BUSINESS_LINES: businessLinesSchema }, { BUSINESS_LINES: text })).toEqual([
        'BUSINESS_LINES: a comma-separated list of integers 0..9999 in decimal digits',
      ]);
    },
  );

  it('still says which rule a duplicate breaks, also when written differently', () => {
    expect(problems({ BUSINESS_LINES: businessLinesSchema }, { BUSINESS_LINES: '42,0042' })).toEqual([
      'BUSINESS_LINES: lists a business ID twice',
    ]);
  });
});

describe('redisSentinelsSchema', () => {
  it('reads host:port pairs, spaces around them allowed', () => {
    expect(redisSentinelsSchema.parse('127.0.0.1:26379, sentinel-1.redis:26380')).toEqual([
      { host: '127.0.0.1', port: 26379 },
      { host: 'sentinel-1.redis', port: 26380 },
    ]);
  });

  it.each(['', '127.0.0.1', '127.0.0.1:0', '127.0.0.1:65536', 'a:1,,b:2', 'redis://a:1', 'a b:1'])('refuses %p, naming REDIS_SENTINELS', (text) => {
    expect(problems({ REDIS_SENTINELS: redisSentinelsSchema }, { REDIS_SENTINELS: text })).toEqual([
      'REDIS_SENTINELS: a comma-separated list of host:port (Redis Sentinels)',
    ]);
  });

  it('refuses a Sentinel named twice', () => {
    expect(problems({ REDIS_SENTINELS: redisSentinelsSchema }, { REDIS_SENTINELS: 'a:1, a:1' })).toEqual(['REDIS_SENTINELS: lists a Sentinel twice']);
  });

  it.each(['', 'my master', 'a'.repeat(65)])('refuses REDIS_MASTER_NAME=%p', (text) => {
    expect(problems({ REDIS_MASTER_NAME: redisMasterNameSchema }, { REDIS_MASTER_NAME: text })).toEqual([
      'REDIS_MASTER_NAME: letters, digits, . _ - (1..64)',
    ]);
  });
});

describe('zkRootSchema', () => {
  it.each(['/ordernum', '/a/b-c_d.e', '/x1', '/.hidden', '/a..b', '/...'])('accepts %p', (path) => {
    expect(zkRootSchema.parse(path)).toBe(path);
  });

  it.each(['ordernum', '/', '', '/ordernum/', '//a', '/a//b', '/a/..', '/a/../b', '/.', '/..', '/a/.', '/order num', '/a$b'])(
    'refuses %p, naming ZK_ROOT and the rule',
    (path) => {
      expect(problems({ ZK_ROOT: zkRootSchema }, { ZK_ROOT: path })).toEqual([
        'ZK_ROOT: an absolute znode path like /ordernum (no trailing /, no empty, . or .. segments)',
      ]);
    },
  );
});

describe('zkConnectSchema', () => {
  it.each(['127.0.0.1:2181', 'zk', 'zk-0.zk-hs:2181,zk-1.zk-hs:2182,zk_2:1', 'a:2181/ordernum/chroot', 'a:2181/', 'a:65535'])(
    'accepts %p',
    (text) => {
      expect(zkConnectSchema.parse(text)).toBe(text);
    },
  );

  it.each([
    ['zk:abc', 'zk:abc'],
    ['zk:99999', 'zk:99999'],
    ['zk:0', 'zk:0'],
    ['zk:', 'zk:'],
    ['a:2181,zk:-1', 'zk:-1'],
    ['a:2181,b:0x50', 'b:0x50'],
    [':2181', ':2181'],
    ['[::1]:2181', '[::1]:2181'],
    ['::1', '::1'],
    ['a b:2181', 'a b:2181'],
  ])('refuses %p, naming ZK_CONNECT and the bad entry %p', (text, entry) => {
    const sut = problems({ ZK_CONNECT: zkConnectSchema }, { ZK_CONNECT: text });
    expect(sut).toHaveLength(1);
    expect(sut[0]).toMatch(/^ZK_CONNECT: /);
    expect(sut[0]).toContain(`"${entry}"`);
  });

  it.each(['', 'a,,b', 'a:2181//x', '[::1]:2181'])('refuses %p (the parser itself is tested in libs/zookeeper)', (text) => {
    expect(problems({ ZK_CONNECT: zkConnectSchema }, { ZK_CONNECT: text })).toHaveLength(1);
  });
});

describe('LOG_LEVEL (one list for both apps)', () => {
  it('prints the chosen level and every less verbose one, fatal always', () => {
    expect(enabledLogLevels('error')).toEqual(['fatal', 'error']);
    expect(enabledLogLevels('warn')).toEqual(['fatal', 'error', 'warn']);
    expect(enabledLogLevels('debug')).toEqual(['fatal', 'error', 'warn', 'log', 'debug']);
  });

  it('refuses a level outside the list, naming the list', () => {
    expect(problems({ LOG_LEVEL: logLevelSchema }, { LOG_LEVEL: 'verbose' })).toEqual(['LOG_LEVEL: must be one of: error, warn, log, debug']);
  });
});
