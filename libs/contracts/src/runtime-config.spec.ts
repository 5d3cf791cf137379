import { STRATEGY_NAMES } from './strategy-name';
import { loadOrderServiceConfig } from './order-service.env';
import { parseRuntimeConfig, RuntimeConfig, runtimeConfigFromEnv } from './runtime-config';

const VALID: RuntimeConfig = { strategy: 'redis', businessLines: [1001, 2001], lockTtlMs: 2000, lockFencing: true };

const bytes = (value: unknown): Buffer => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8');

/** The error text for a refused node; fails the test if it was accepted. */
function refusal(value: unknown): string {
  const sut = parseRuntimeConfig(bytes(value));
  if (sut.ok) throw new Error(`accepted ${JSON.stringify(value)}`);
  return sut.error;
}

describe('parseRuntimeConfig', () => {
  it('accepts a complete, valid node', () => {
    expect(parseRuntimeConfig(bytes(VALID))).toEqual({ ok: true, config: VALID });
  });

  it.each(STRATEGY_NAMES)('accepts strategy %s', (strategy) => {
    expect(parseRuntimeConfig(bytes({ ...VALID, strategy }))).toEqual({ ok: true, config: { ...VALID, strategy } });
  });

  it.each(['', 'strategy=redis', '{"strategy": "redis",}', '{'])('refuses %p as not JSON', (text) => {
    expect(refusal(text)).toMatch(/^not JSON/);
  });

  it('refuses an unknown key, naming it, so that a typo cannot silently do nothing', () => {
    expect(refusal({ ...VALID, stratgy: 'zookeeper' })).toContain('stratgy');
  });

  it('names both the typo and the missing field when a key is misspelt', () => {
    const { strategy, ...rest } = VALID;
    const sut = refusal({ ...rest, stratgy: strategy });
    expect(sut).toContain('stratgy');
    expect(sut).toMatch(/(^|; )strategy: /);
  });

  it('refuses an unknown strategy, listing the valid ones', () => {
    const sut = refusal({ ...VALID, strategy: 'zk' });
    expect(sut).toMatch(/^strategy: /);
    for (const name of STRATEGY_NAMES) expect(sut).toContain(name);
  });

  it.each([
    ['empty', []],
    ['a duplicate', [1001, 1001]],
    ['out of range', [10000]],
    ['negative', [-1]],
    ['fractional', [1001.5]],
    ['strings', ['1001']],
    ['not an array', '1001,2001'],
  ])('refuses businessLines %s, naming the field', (_label, businessLines) => {
    expect(refusal({ ...VALID, businessLines })).toMatch(/^businessLines(\.\d+)?: /);
  });

  it.each(['on', 'true', 1, null])('refuses lockFencing %p, naming the field', (lockFencing) => {
    expect(refusal({ ...VALID, lockFencing })).toMatch(/^lockFencing: /);
  });

  it.each([49, 600001, 2000.5, '2000'])('refuses lockTtlMs %p, naming the field', (lockTtlMs) => {
    expect(refusal({ ...VALID, lockTtlMs })).toMatch(/^lockTtlMs: /);
  });

  it('refuses a node with a field missing, naming it', () => {
    const { lockFencing: _omitted, ...partial } = VALID;
    expect(refusal(partial)).toMatch(/^lockFencing: /);
  });

  it('quotes the refused value, so the operator sees the typo', () => {
    expect(refusal({ ...VALID, strategy: 'zookeper' })).toContain('(got "zookeper")');
    expect(refusal({ ...VALID, lockTtlMs: -5 })).toContain('(got -5)');
  });

  it.each([[null], [[VALID]], ['"redis"'], ['42']])('refuses a root that is not an object (%p)', (value) => {
    expect(refusal(value)).toMatch(/^\(root\): /);
  });
});

describe('runtimeConfigFromEnv', () => {
  it('maps the environment onto the runtime fields', () => {
    const env = loadOrderServiceConfig({ ORDER_STRATEGY: 'redis-pregen', BUSINESS_LINES: '7,8', LOCK_TTL_MS: '900', LOCK_FENCING: 'off' });
    expect(runtimeConfigFromEnv(env)).toEqual({ strategy: 'redis-pregen', businessLines: [7, 8], lockTtlMs: 900, lockFencing: false });
  });

  it('seeds a node that parses back to the same config', () => {
    const sut = runtimeConfigFromEnv(loadOrderServiceConfig({}));
    expect(sut).toEqual({ strategy: 'zookeeper', businessLines: [1001, 2001, 3001, 4001], lockTtlMs: 2000, lockFencing: true });
    expect(parseRuntimeConfig(bytes(sut))).toEqual({ ok: true, config: sut });
  });
});
