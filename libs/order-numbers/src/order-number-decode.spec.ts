import { formatOrderNumber } from './order-number';
import { decodeOrderNumber } from './order-number-decode';

describe('decodeOrderNumber', () => {
  it('reads the time, the business line and the suffix both ways', () => {
    const sut = decodeOrderNumber('2026112518070167610010742');
    expect(sut).toMatchObject({
      orderNumber: '2026112518070167610010742',
      time: { digits: '20261125180701676', iso: '2026-11-25T18:07:01.676Z', epochMs: Date.parse('2026-11-25T18:07:01.676Z') },
      businessId: 1001,
      suffix: { digits: '0742', ledgerSequence: 742, snowflake: { workerId: 7, sequence: 42 } },
    });
    expect(sut.time.note).toContain('logical');
  });

  it('reads back what formatOrderNumber wrote, at the edges of the range', () => {
    for (const [ms, businessId, suffix] of [[0, 0, 0], [Date.UTC(9999, 11, 31, 23, 59, 59, 999), 9999, 9999]]) {
      const sut = decodeOrderNumber(formatOrderNumber(ms, businessId, suffix));
      expect([sut.time.epochMs, sut.businessId, sut.suffix.ledgerSequence]).toEqual([ms, businessId, suffix]);
      expect(sut.suffix.snowflake).toEqual({ workerId: Math.floor(suffix / 100), sequence: suffix % 100 });
    }
  });

  it.each(['', '123', '20261125180701676100107421', '2026112518070167610010a42', ' 2026112518070167610010742'])('refuses the malformed %p', (value) => {
    expect(() => decodeOrderNumber(value)).toThrow('is not a 25-digit order number');
  });

  it.each(['2026023018070167610010742', '2026133118070167610010742', '2026112524070167610010742', '2026112518076067610010742'])('refuses the impossible date in %p', (value) => {
    expect(() => decodeOrderNumber(value)).toThrow('impossible timestamp');
  });
});
