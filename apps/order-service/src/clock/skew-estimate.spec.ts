import { SkewEstimate } from './skew-estimate';

describe('SkewEstimate', () => {
  it('trusts nothing before the first sample', () => {
    const sut = new SkewEstimate(1000);
    expect(sut.verdict(5_000, 100)).toMatchObject({ trusted: false, reason: expect.stringMatching(/not yet measured/) });
  });

  it('trusts a clock whose offset plus uncertainty is within the bound', () => {
    const sut = new SkewEstimate(1000);
    sut.add({ offsetMs: 400, uncertaintyMs: 5 }, 5_000, 100);
    expect(sut.verdict(5_000, 100)).toEqual({ trusted: true, offsetMs: 400, uncertaintyMs: 5, maxClockSkewMs: 1000 });
  });

  it('refuses a clock 300 s ahead, saying by how much and which way', () => {
    const sut = new SkewEstimate(1000);
    sut.add({ offsetMs: 300_000, uncertaintyMs: 2 }, 5_000, 100);
    expect(sut.verdict(5_000, 100)).toMatchObject({ trusted: false, offsetMs: 300_000, reason: expect.stringMatching(/300000 ms .* ahead of ZooKeeper's time/) });
    sut.add({ offsetMs: -2_000, uncertaintyMs: 1 }, 5_000, 100);
    expect(sut.verdict(5_000, 100).reason).toMatch(/2000 ms .* behind ZooKeeper's time/);
  });

  it('counts the uncertainty against the bound', () => {
    const sut = new SkewEstimate(1000);
    sut.add({ offsetMs: 900, uncertaintyMs: 150 }, 5_000, 100);
    expect(sut.verdict(5_000, 100).trusted).toBe(false);
  });

  it('rests on the sample with the shortest round trip', () => {
    const sut = new SkewEstimate(1000);
    sut.add({ offsetMs: 900, uncertaintyMs: 400 }, 5_000, 100);
    sut.add({ offsetMs: 10, uncertaintyMs: 1 }, 7_000, 2_100);
    sut.add({ offsetMs: -700, uncertaintyMs: 350 }, 9_000, 4_100);
    expect(sut.verdict(9_000, 4_100)).toMatchObject({ trusted: true, offsetMs: 10, uncertaintyMs: 1 });
  });

  it('follows a step of the wall clock against the monotonic clock between probes', () => {
    const sut = new SkewEstimate(1000);
    sut.add({ offsetMs: 0, uncertaintyMs: 1 }, 5_000, 100);
    expect(sut.verdict(6_000, 1_100).trusted).toBe(true); // both moved 1 s: no step
    expect(sut.verdict(66_000, 1_100)).toMatchObject({ trusted: false, offsetMs: 60_000 }); // wall jumped a minute
  });

  it('keeps only the last few samples', () => {
    const sut = new SkewEstimate(1000, 2);
    sut.add({ offsetMs: 0, uncertaintyMs: 0 }, 5_000, 100);
    sut.add({ offsetMs: 5_000, uncertaintyMs: 3 }, 5_000, 100);
    sut.add({ offsetMs: 5_000, uncertaintyMs: 3 }, 5_000, 100);
    expect(sut.verdict(5_000, 100).trusted).toBe(false);
  });
});
