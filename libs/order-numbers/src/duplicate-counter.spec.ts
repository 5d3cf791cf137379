import { countDuplicates, duplicateRate } from './duplicate-counter';

const number = (suffix: number): string => `2026112517000000010010${String(suffix).padStart(3, '0')}`;

describe('countDuplicates', () => {
  it('finds a planted duplicate among distinct numbers', () => {
    const numbers = [number(1), number(2), number(3), number(2), number(4)];

    const sut = countDuplicates(numbers);

    expect(sut).toMatchObject({ total: 5, distinct: 4, duplicates: 1 });
    expect(sut.examples).toEqual([{ orderNumber: number(2), copies: 2 }]);
  });

  it('counts three copies of one number as two duplicates', () => {
    const sut = countDuplicates([number(7), number(7), number(8), number(7)]);

    expect(sut.duplicates).toBe(2);
    expect(sut.examples).toEqual([{ orderNumber: number(7), copies: 3 }]);
  });

  it('counts distinct numbers as no duplicate', () => {
    const sut = countDuplicates(Array.from({ length: 1000 }, (_, i) => number(i)));

    expect(sut).toMatchObject({ total: 1000, distinct: 1000, duplicates: 0, examples: [] });
  });

  it('rates duplicates per order, and an empty run as 0', () => {
    expect(duplicateRate({ total: 4, duplicates: 1 })).toBe(0.25);
    expect(duplicateRate({ total: 0, duplicates: 0 })).toBe(0);
  });
});
