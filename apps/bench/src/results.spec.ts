import { buildStrategyResult } from './results';
import { FAKE_BACKENDS, fakeResults, fakeRun, orderNumber } from './results.fixture';

const NO_COUNTERS = { lockAcquisitions: null, watchNotifications: null, watchNotificationsPerAcquisition: null };

describe('buildStrategyResult', () => {
  it('counts duplicates, rates and ratios of one run', () => {
    const run = fakeRun([orderNumber(1), orderNumber(2), orderNumber(1), orderNumber(3)], { '503': 1 });

    const sut = buildStrategyResult(
      'zookeeper',
      run,
      { lockAcquisitions: 10, watchNotifications: 20, watchNotificationsPerAcquisition: 2 },
      8,
      FAKE_BACKENDS,
    );

    expect(sut).toMatchObject({
      strategy: 'zookeeper',
      orders: 4,
      duplicates: 1,
      duplicateRate: 0.25,
      errors: 1,
      errorsByStatus: { '503': 1 },
      ratioToBaseline: 0.5,
      backend: 'zookeeper',
      ratioToBackend: 4 / 1000,
      watchNotificationsPerAcquisition: 2,
      expectedUnique: true,
    });
  });

  it('gives lock-free strategies no backend ratio', () => {
    const sut = buildStrategyResult('snowflake', fakeRun([orderNumber(1)]), NO_COUNTERS, 8, FAKE_BACKENDS);

    expect(sut).toMatchObject({ backend: null, ratioToBackend: null, watchNotificationsPerAcquisition: null });
  });
});

describe('BenchResults', () => {
  it('has the documented results.json shape and types (DESIGN §5)', () => {
    const sut = JSON.parse(JSON.stringify(fakeResults([{ name: 'none', numbers: [orderNumber(1), orderNumber(1)] }]))) as Record<
      string,
      unknown
    >;

    expect(sut).toMatchObject({ baseline: { reqPerSec: expect.any(Number) }, strategies: expect.any(Array) });
    const [strategy] = sut.strategies as Array<Record<string, unknown>>;
    expect(strategy).toMatchObject({
      strategy: 'none',
      orders: 2,
      duplicates: 1,
      duplicateRate: 0.5,
      reqPerSec: expect.any(Number),
      latencyMs: { p50: expect.any(Number), p99: expect.any(Number) },
      errors: 0,
    });
  });

  it('names duplicates from a strategy that promises unique numbers as a problem', () => {
    const sut = fakeResults([
      { name: 'none', numbers: [orderNumber(1), orderNumber(1)] },
      { name: 'redis', numbers: [orderNumber(5), orderNumber(5)] },
    ]);

    expect(sut.problems).toEqual([expect.stringMatching(/^redis: 1 DUPLICATES/)]);
  });
});
