import { MissingMarkFloor } from './missing-mark-floor';

const T = Date.UTC(2026, 11, 2, 11, 0, 0, 0);

describe('MissingMarkFloor', () => {
  function setup(skewMs = 1000) {
    const clock = { ms: T, now: () => clock.ms };
    return { clock, sut: new MissingMarkFloor(clock, () => skewMs) };
  }

  it('lets a line with a mark, or a line it never saw (new, as far as it can tell), go at once', () => {
    const { sut } = setup();
    expect(sut.waitMs(1001, { ms: T + 500, seq: 3 })).toBe(0);
    expect(sut.waitMs(2001, null)).toBe(0);
  });

  it('holds a line whose mark it saw and that now has none until the clock passes the reading at the loss plus twice the skew', () => {
    const { clock, sut } = setup(1000);
    sut.waitMs(1001, { ms: T - 10, seq: 0 });
    expect(sut.waitMs(1001, null)).toBe(2001);
    clock.ms = T + 1500;
    expect(sut.waitMs(1001, null)).toBe(501); // the same loss: the floor does not move on with the clock
    clock.ms = T + 2001;
    expect(sut.waitMs(1001, null)).toBe(0);
    expect(sut.waitMs(2001, null)).toBe(0); // lines are independent
  });

  it('counts a mark it wrote itself as seen, and takes a new floor for each loss', () => {
    const { clock, sut } = setup(1000);
    sut.written(1001);
    expect(sut.waitMs(1001, null)).toBe(2001);
    clock.ms = T + 2001;
    expect(sut.waitMs(1001, null)).toBe(0);
    sut.written(1001);
    clock.ms = T + 60_000;
    expect(sut.waitMs(1001, null)).toBe(2001);
  });

  it('takes a new floor after the ledger was seen with a mark again', () => {
    const { clock, sut } = setup(1000);
    sut.written(1001);
    sut.waitMs(1001, null);
    clock.ms = T + 2001;
    sut.waitMs(1001, { ms: T + 2001, seq: 0 });
    clock.ms = T + 3000;
    expect(sut.waitMs(1001, null)).toBe(2001);
  });
});
