import { DUPLICATE_WINDOW, OrderTraffic } from './order-traffic';

describe('OrderTraffic', () => {
  it('counts a number seen twice for a strategy as one duplicate, and not across strategies', () => {
    const sut = new OrderTraffic();
    sut.issued('order-1', 'none', '2026112518070167610010000', 3);
    sut.issued('order-2', 'none', '2026112518070167610010000', 4);
    sut.issued('order-1', 'redis', '2026112518070167610010000', 5);
    expect(sut.snapshot().byStrategy).toMatchObject({ none: { issued: 2, duplicates: 1 }, redis: { issued: 1, duplicates: 0 } });
    expect(sut.snapshot().byReplica).toMatchObject({ 'order-1': { issued: 2 }, 'order-2': { issued: 1 } });
  });

  it('forgets numbers beyond the window', () => {
    const sut = new OrderTraffic();
    for (let i = 0; i <= DUPLICATE_WINDOW; i++) sut.issued('r', 'none', String(i), 1);
    sut.issued('r', 'none', '0', 1); // evicted: not a duplicate any more
    sut.issued('r', 'none', String(DUPLICATE_WINDOW), 1); // still remembered
    expect(sut.snapshot().byStrategy.none.duplicates).toBe(1);
  });

  it('remembers exactly the last window of distinct numbers however often the window turns over', () => {
    const sut = new OrderTraffic(3);
    for (const n of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) sut.issued('r', 'none', n, 1); // remembers e, f, g
    sut.issued('r', 'none', 'f', 1); // a duplicate: remembered, and not remembered twice
    sut.issued('r', 'none', 'd', 1); // forgotten: not a duplicate; remembers f, g, d
    sut.issued('r', 'none', 'e', 1); // forgotten by the line above: remembers g, d, e
    sut.issued('r', 'none', 'g', 1); // still remembered
    const { byStrategy, duplicateWindow } = sut.snapshot();
    expect(byStrategy.none.duplicates).toBe(2);
    expect(duplicateWindow).toBe(3);
  });

  it('takes the p99 of the recent calls and counts a 503 for the strategy the replica last issued with', () => {
    const sut = new OrderTraffic();
    for (let ms = 1; ms <= 100; ms++) sut.issued('r', 'zookeeper', `n${ms}`, ms);
    sut.unavailable('r', 500);
    sut.unavailable('other', 7);
    const { byReplica, byStrategy } = sut.snapshot();
    expect(byReplica.r).toEqual({ issued: 100, unavailable: 1, p99Ms: 100 });
    expect(byStrategy.zookeeper).toMatchObject({ unavailable: 1 });
    expect(byReplica.other).toEqual({ issued: 0, unavailable: 1, p99Ms: 7 });
  });
});
