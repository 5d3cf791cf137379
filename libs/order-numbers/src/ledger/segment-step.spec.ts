import { FORMAT_NUMBERS_PER_MS, SegmentStep } from './segment-step';

describe('SegmentStep', () => {
  const bounds = { min: 100, max: 10_000, targetMs: 1000 };

  it('starts at the minimum and keeps it for the first segment', () => {
    const sut = new SegmentStep(bounds);
    expect(sut.next(undefined)).toBe(100);
  });

  it('doubles under load (segments that last less than the target) up to the maximum, never past it', () => {
    const sut = new SegmentStep(bounds);
    const steps = Array.from({ length: 10 }, () => sut.next(50));
    expect(steps).toEqual([200, 400, 800, 1600, 3200, 6400, 10_000, 10_000, 10_000, 10_000]);
  });

  it('halves when idle (segments that last 4× the target) down to the minimum, never below it', () => {
    const sut = new SegmentStep(bounds);
    for (let i = 0; i < 7; i += 1) sut.next(10);
    const steps = Array.from({ length: 9 }, () => sut.next(60_000));
    expect(steps).toEqual([5000, 2500, 1250, 625, 312, 156, 100, 100, 100]);
  });

  it('keeps the step between the target and 4× it', () => {
    const sut = new SegmentStep(bounds);
    sut.next(10);
    expect([sut.next(1000), sut.next(2500), sut.next(3999)]).toEqual([200, 200, 200]);
  });

  it('refuses bounds past the format: one segment may not need more than a millisecond of suffixes', () => {
    expect(() => new SegmentStep({ ...bounds, max: FORMAT_NUMBERS_PER_MS + 1 })).toThrow(RangeError);
    expect(() => new SegmentStep({ ...bounds, min: 0 })).toThrow(RangeError);
    expect(() => new SegmentStep({ ...bounds, min: 500, max: 400 })).toThrow(RangeError);
    expect(() => new SegmentStep({ ...bounds, targetMs: 0 })).toThrow(RangeError);
  });
});
