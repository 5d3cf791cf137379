import { STRATEGY_NAMES } from '@app/contracts';
import { renderReportHtml } from './report-html';
import { buildStrategyResult, pairBaselines } from './results';
import { FAKE_BACKENDS, fakeBaselineRun, fakeResults, fakeRun, orderNumber } from './results.fixture';

describe('renderReportHtml', () => {
  const results = fakeResults(STRATEGY_NAMES.map((name, i) => ({ name, numbers: [orderNumber(i), orderNumber(i + 100)] })));

  it('is self-contained: no script, no stylesheet or image from elsewhere, no http link', () => {
    const sut = renderReportHtml(results);

    expect(sut).not.toMatch(/<script/i);
    expect(sut).not.toMatch(/<link/i);
    expect(sut).not.toMatch(/https?:/i);
    expect(sut).not.toMatch(/src=/i);
  });

  it('draws one svg per chart: duplicate rate, throughput with the baseline, latency', () => {
    const sut = renderReportHtml(results);

    expect(sut.match(/<svg /g)).toHaveLength(3);
    expect(sut).toContain('Duplicate rate per strategy');
    expect(sut).toContain('empty-handler baseline');
    expect(sut).toContain('Latency per strategy');
  });

  it('names every strategy and the machine', () => {
    const sut = renderReportHtml(results);

    for (const name of STRATEGY_NAMES) expect(sut).toContain(`<td>${name}</td>`);
    expect(sut).toContain('2 cores, Test CPU');
    expect(sut).toContain('2026-11-25T17:00:00.000Z');
  });

  it("gives every row its ratio over each half of its baseline and its p99 over the baseline's, and says what they mean", () => {
    // 2 orders/s between an empty handler at 8/s before the row and 4/s after it.
    const halves = pairBaselines(fakeBaselineRun(8, 1000, 10), fakeBaselineRun(4, 1000, 20));
    const noCounters = { lockAcquisitions: null, watchNotifications: null, watchNotificationsPerAcquisition: null };
    const row = buildStrategyResult('snowflake', fakeRun([orderNumber(1), orderNumber(2)]), noCounters, halves, FAKE_BACKENDS);

    const sut = renderReportHtml({ ...results, strategies: [row] });

    expect(sut).toContain('<th>÷ each half</th>');
    expect(sut).toContain('<td>0.33×</td><td>0.25–0.50</td>');
    // Its p99 (12 ms) over the mean of its halves' (10 and 20 ms).
    expect(sut).toContain('<th>p99 ÷ baseline</th>');
    expect(sut).toContain('<td>12 ms</td><td>0.80×</td>');
    expect(sut).toContain("how far the machine's speed moved around the row");
  });

  it('has a cost-per-order table with every strategy and what its columns mean', () => {
    const sut = renderReportHtml(results);

    expect(sut).toContain('<h2>Cost per order</h2>');
    expect(sut).toContain('<th>zk writes/order</th>');
    expect(sut).toContain('<th>redis scripts/order</th>');
    expect(sut).toContain('zk_cnt_updatelatency');
  });

  it('draws orders/s and p99 against replicas, one series per strategy, only when several sizes were run', () => {
    const point = (replicas: number, rate: number) => ({
      replicas,
      baselineReqPerSec: 4000,
      baselineP99Ms: 5,
      rows: [{ label: 'redis', ordersPerSec: rate, p99Ms: 20, ratioToBaseline: rate / 4000, cpuSecondsPer1000: 1 }],
    });
    const sut = renderReportHtml({ ...results, scaling: [point(1, 1500), point(3, 1200)] });

    expect(sut.match(/<svg /g)).toHaveLength(5);
    expect(sut).toContain('Orders/s against replicas');
    expect(sut).toContain('p99 latency against replicas');
    expect(sut).toContain('3 replicas redis: 1,200');
    expect(renderReportHtml({ ...results, scaling: [point(3, 1200)] }).match(/<svg /g)).toHaveLength(3);
  });

  it('escapes what it prints', () => {
    const sut = renderReportHtml({ ...results, problems: ['<b>bad</b>'] });

    expect(sut).toContain('&lt;b&gt;bad&lt;/b&gt;');
  });
});
