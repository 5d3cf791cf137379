import { checkAccounting } from './accounting';
import { buildStrategyResult, findProblems, pairBaselines } from './results';
import { FAKE_BACKENDS, fakeBaselineRun, fakePairedBaseline, fakeResults, fakeRun, orderNumber } from './results.fixture';

const NO_COUNTERS = { lockAcquisitions: null, watchNotifications: null, watchNotificationsPerAcquisition: null };

describe('buildStrategyResult', () => {
  it('counts duplicates, rates and ratios of one run', () => {
    const run = fakeRun([orderNumber(1), orderNumber(2), orderNumber(1), orderNumber(3)], { '503': 1 });

    const sut = buildStrategyResult(
      'zookeeper',
      run,
      { lockAcquisitions: 10, watchNotifications: 20, watchNotificationsPerAcquisition: 2 },
      fakePairedBaseline(8),
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
    const sut = buildStrategyResult('snowflake', fakeRun([orderNumber(1)]), NO_COUNTERS, fakePairedBaseline(8), FAKE_BACKENDS);

    expect(sut).toMatchObject({ backend: null, ratioToBackend: null, watchNotificationsPerAcquisition: null });
  });
});

describe('pairBaselines', () => {
  it('takes the two halves around a row as one run of their combined length', () => {
    // 3,000 answers in 1 s before the row, 1,000 in 0.5 s after: 4,000 in 1.5 s, not the mean of 3,000/s and 2,000/s.
    const sut = pairBaselines(fakeBaselineRun(3000, 1000, 10), fakeBaselineRun(1000, 500, 20));

    expect(sut.reqPerSec).toBeCloseTo(4000 / 1.5, 6);
    expect(sut.p99Ms).toBe(15);
    expect(sut.before.requests).toBe(3000);
    expect(sut.after.requests).toBe(1000);
  });

  it('is the denominator of the row it was measured around', () => {
    const sut = buildStrategyResult('snowflake', fakeRun([orderNumber(1), orderNumber(2)]), NO_COUNTERS, fakePairedBaseline(4), FAKE_BACKENDS);

    expect(sut.ratioToBaseline).toBe(0.5);
    expect(sut.pairedBaseline.reqPerSec).toBe(4);
  });

  it('also gives the ratio over each half alone, so a row shows how far the machine moved around it', () => {
    // 2 orders/s; the empty handler ran at 8/s before the row and at 4/s after it.
    const halves = pairBaselines(fakeBaselineRun(8, 1000), fakeBaselineRun(4, 1000));
    const sut = buildStrategyResult('snowflake', fakeRun([orderNumber(1), orderNumber(2)]), NO_COUNTERS, halves, FAKE_BACKENDS);

    expect(sut.ratioByHalf).toEqual({ before: 0.25, after: 0.5 });
    expect(sut.ratioToBaseline).toBeCloseTo(2 / 6, 9);
  });

  it('names a half whose answers do not add up as a problem', () => {
    // 10 answers never came back: the half's rate would be counted from a run that lost requests.
    const broken = { ...fakeBaselineRun(100, 1000), successes: 90, accounting: checkAccounting(100, 90, {}) };
    const row = buildStrategyResult('snowflake', fakeRun([orderNumber(1)]), NO_COUNTERS, pairBaselines(fakeBaselineRun(100, 1000), broken), FAKE_BACKENDS);
    const results = fakeResults([]);

    const problems = findProblems({ ...results, strategies: [row] });

    expect(problems).toEqual([expect.stringContaining('snowflake baseline after: ACCOUNTING MISMATCH')]);
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
