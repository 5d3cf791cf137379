import { HandoverReads } from './handover-reads';

describe('HandoverReads', () => {
  it('shares one read per epoch and line, and knows its value once it is read', async () => {
    const reads: string[] = [];
    const sut = new HandoverReads(async (epoch, businessId) => {
      reads.push(`${epoch}:${businessId}`);
      return epoch * 10_000 + businessId;
    });
    expect(sut.known(2, 1001)).toBeUndefined();
    const [a, b] = await Promise.all([sut.get(2, 1001), sut.get(2, 1001)]);
    expect([a, b]).toEqual([21001, 21001]);
    expect(sut.known(2, 1001)).toBe(21001);
    expect(await sut.get(3, 1001)).toBe(31001);
    expect(reads).toEqual(['2:1001', '3:1001']);
  });

  it('forgets a failed read, so the next caller reads again', async () => {
    let fail = true;
    const sut = new HandoverReads(async () => {
      if (fail) throw new Error('Redis down');
      return 7;
    });
    await expect(sut.get(1, 1001)).rejects.toThrow('Redis down');
    await Promise.resolve();
    expect(sut.known(1, 1001)).toBeUndefined();
    fail = false;
    expect(await sut.get(1, 1001)).toBe(7);
    expect(sut.known(1, 1001)).toBe(7);
  });
});
