import { checkHistory } from './history-checker';
import { HistoryLease, HistoryRecord, parseHistory } from './history-record';

const MS = '20261202131415123';

function number(seq: number, businessId = 1001, ms = MS): string {
  return `${ms}${String(businessId).padStart(4, '0')}${String(seq).padStart(4, '0')}`;
}

function lease(token: number, acquiredMono: number, releasedMono: number, resource = 'business-1001'): HistoryLease {
  return { kind: 'redis', resource, token, acquiredMono, releasedMono, acquiredWall: 1, releasedWall: 2 };
}

function record(orderNumber: string, replica: string, issuedMono: number, held: HistoryLease | null): HistoryRecord {
  return { replica, pid: 7, strategy: 'redis', businessId: 1001, orderNumber, issuedMono, issuedWall: 1, lease: held };
}

/** A clean run: three holders one after the other, one number each, sequence 0, 1, 2. */
function cleanHistory(): HistoryRecord[] {
  return [
    record(number(0), 'order-1', 1.5, lease(1, 1, 2)),
    record(number(1), 'order-2', 3.5, lease(2, 3, 4)),
    record(number(2), 'order-3', 5.5, lease(3, 5, 6)),
  ];
}

describe('checkHistory', () => {
  it('finds nothing wrong in a clean history', () => {
    const sut = checkHistory(cleanHistory(), [number(0), number(1), number(2)]);
    expect(sut).toMatchObject({ issued: 3, issuedDuplicates: 0, deliveredDuplicates: 0, overlaps: 0, outOfOrder: 0, gaps: 0 });
  });

  it('finds a planted duplicate exactly once, issued and delivered', () => {
    const history = [...cleanHistory(), record(number(1), 'order-3', 7.5, lease(4, 7, 8))];
    const sut = checkHistory(history, history.map((entry) => entry.orderNumber));
    expect(sut.issuedDuplicates).toBe(1);
    expect(sut.deliveredDuplicates).toBe(1);
    expect(sut.examples.duplicates).toEqual([`${number(1)} ×2`]);
  });

  it('counts an undelivered duplicate as issued, not delivered', () => {
    const history = [...cleanHistory(), record(number(1), 'order-3', 7.5, lease(4, 7, 8))];
    // The client got each number once: the second copy's answer never reached it (a timeout).
    const sut = checkHistory(history, [number(0), number(1), number(2)]);
    expect(sut.issuedDuplicates).toBe(1);
    expect(sut.deliveredDuplicates).toBe(0);
  });

  it('finds a planted overlap exactly once', () => {
    // order-2 acquires at 3.2 while order-1's lease (acquired 3) is held until 4: one overlap.
    const history = [
      record(number(0), 'order-1', 1.5, lease(1, 1, 2)),
      record(number(1), 'order-1', 3.5, lease(2, 3, 4)),
      record(number(2), 'order-2', 3.6, lease(3, 3.2, 3.8)),
      record(number(3), 'order-3', 5.5, lease(4, 5, 6)),
    ];
    const sut = checkHistory(history, []);
    expect(sut.overlaps).toBe(1);
    expect(sut.examples.overlaps[0]).toMatch(/order-2\/7 \(token 3\) acquired 0\.8 ms before order-1\/7 \(token 2\) released/);
  });

  it('does not count leases of different resources or lock kinds as overlapping', () => {
    const other = { ...lease(9, 1.2, 1.8), kind: 'zookeeper' };
    const history = [
      ...cleanHistory(),
      record(number(0, 2001), 'order-2', 1.4, lease(2, 1.1, 1.9, 'business-2001')),
      record(number(1, 2001), 'order-3', 1.6, other),
    ];
    expect(checkHistory(history, []).overlaps).toBe(0);
  });

  it('counts each number issued under one lease once, and that lease once', () => {
    const shared = lease(5, 1, 10);
    const history = [record(number(0), 'order-1', 2, shared), record(number(1), 'order-1', 3, shared)];
    expect(checkHistory(history, [])).toMatchObject({ overlaps: 0, outOfOrder: 0 });
  });

  it('finds a number issued below the one before it under the same lease', () => {
    const shared = lease(5, 1, 10);
    const history = [
      record(number(0), 'order-1', 2, shared),
      record(number(2), 'order-1', 3, shared),
      record(number(1), 'order-1', 4, shared),
    ];
    const sut = checkHistory(history, []);
    expect(sut.outOfOrder).toBe(1);
    expect(sut.examples.outOfOrder[0]).toBe(`order-1: ${number(1)} after ${number(2)} under one lease`);
  });

  it('counts the sequence values skipped within one millisecond as gaps', () => {
    const history = [
      record(number(0), 'order-1', 1, null),
      record(number(3), 'order-1', 2, null),
      record(number(0, 1001, '20261202131415124'), 'order-1', 3, null),
    ];
    expect(checkHistory(history, []).gaps).toBe(2);
    expect(checkHistory(history, [], { sequential: () => false }).gaps).toBe(0);
  });

  it('names numbers the client received that no replica recorded', () => {
    const sut = checkHistory(cleanHistory(), [number(0), number(7)]);
    expect(sut.deliveredUnrecorded).toBe(1);
    expect(sut.examples.deliveredUnrecorded).toEqual([number(7)]);
  });
});

describe('parseHistory', () => {
  const line = JSON.stringify(cleanHistory()[0]);

  it('reads one record per line', () => {
    expect(parseHistory(`${line}\n${line}\n`, 'order-1.jsonl').records).toHaveLength(2);
  });

  it('drops a last line cut short by a killed replica, and counts it', () => {
    const sut = parseHistory(`${line}\n${line.slice(0, 20)}`, 'order-1.jsonl');
    expect(sut).toMatchObject({ truncated: 1 });
    expect(sut.records).toHaveLength(1);
  });

  it('refuses a bad line in the middle, naming file and line', () => {
    expect(() => parseHistory(`${line}\n{"replica":1}\n${line}\n`, 'order-1.jsonl')).toThrow(/order-1\.jsonl:2:/);
  });
});
