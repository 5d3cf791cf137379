import { parseFaultsArgs } from './faults-options';
import { faultCells } from './run-faults';
import { findFaultProblems } from './fault-result';
import { faultCell } from './fault-result.fixture';
import { renderFaultHeatMap } from './fault-heat-map';
import { isLedgerWrite } from './hold-proxy';

describe('parseFaultsArgs', () => {
  it('takes strategies, faults and the output directory', () => {
    const sut = parseFaultsArgs(['--strategies', 'redis,zookeeper', '--faults', 'pause,delayed-write', '--out', 'x']);
    expect(sut).toMatchObject({ strategies: ['redis', 'zookeeper'], faults: ['pause', 'delayed-write'], outDir: 'x' });
  });

  it('refuses an unknown fault, naming the valid ones', () => {
    expect(() => parseFaultsArgs(['--faults', 'pause,meteor'])).toThrow(/unknown fault "meteor"; valid: pause, sigstop/);
  });

  it('refuses a fault listed twice and a bad connection count', () => {
    expect(() => parseFaultsArgs(['--faults', 'pause,pause'])).toThrow(/listed twice/);
    expect(() => parseFaultsArgs(['--connections', '0'])).toThrow(/--connections/);
  });
});

describe('faultCells', () => {
  it('runs the fenceable locks with fencing on and off, the unfenced ones once, and skips what does not apply', () => {
    const sut = faultCells('pause', ['redis', 'local', 'snowflake']);
    expect(sut).toEqual([
      { strategy: 'redis', fencing: true },
      { strategy: 'redis', fencing: false },
      { strategy: 'local', fencing: false },
    ]);
  });

  it('runs a crash with fencing on only', () => {
    expect(faultCells('kill-replica', ['zookeeper', 'snowflake'])).toEqual([
      { strategy: 'zookeeper', fencing: true },
      { strategy: 'snowflake', fencing: true },
    ]);
  });
});

describe('findFaultProblems', () => {
  it('finds nothing in a clean cell with fencing on and a window shown without it', () => {
    const unfenced = faultCell({ fencing: false, duplicates: 2, checker: { issuedDuplicates: 3, deliveredDuplicates: 2, overlaps: 4 } });
    expect(findFaultProblems([faultCell(), unfenced])).toEqual([]);
  });

  it('flags a duplicate under fencing, a checker that disagrees, a hang, no recovery and a window not shown', () => {
    const sut = findFaultProblems([
      faultCell({ duplicates: 1, checker: { issuedDuplicates: 1, deliveredDuplicates: 1, overlaps: 0 } }),
      faultCell({ strategy: 'zookeeper', duplicates: 2, checker: { issuedDuplicates: 2, deliveredDuplicates: 1, overlaps: 0 } }),
      faultCell({ strategy: 'snowflake', fault: 'sigstop', hung: 3 }),
      faultCell({ strategy: 'zookeeper-ephemeral', fault: 'edit-state', recoverMs: null }),
      faultCell({ fencing: false }),
    ]);
    expect(sut).toHaveLength(6);
    expect(sut).toContain('zookeeper-ephemeral × edit-state (fencing on): never recovered (order-1 issued nothing on some business line after the fault)');
    expect(sut[0]).toMatch(/^redis × delayed-write \(fencing on\): 1 duplicates issued/);
    expect(sut[1]).toMatch(/^zookeeper × delayed-write \(fencing on\): the history checker counts 1 delivered duplicates, the client 2/);
    expect(sut.some((problem) => /snowflake × sigstop .*3 requests hung/.test(problem))).toBe(true);
    expect(sut.at(-1)).toMatch(/redis × delayed-write \(fencing off\): no duplicate without fencing/);
  });


  it('reports duplicates of an asynchronous failover without calling them a bug, but not once WAIT is on', () => {
    const rollback = { duplicates: 2, checker: { issuedDuplicates: 3, deliveredDuplicates: 2, overlaps: 0 } };
    const cutOffWait = { checker: { issuedDuplicates: 1, deliveredDuplicates: 0, overlaps: 0 } };
    expect(findFaultProblems([
      faultCell({ fault: 'redis-failover', ...rollback }),
      faultCell({ fault: 'redis-failover-wait', ...cutOffWait }),
    ])).toEqual([]);
    expect(findFaultProblems([faultCell({ fault: 'redis-failover-wait', ...rollback })])).toEqual([
      'redis × redis-failover-wait (fencing on): 2 duplicates delivered although every number waited for the replica',
    ]);
  });
});

describe('renderFaultHeatMap', () => {
  it('colours a cell by 0 or not, splits columns by fencing, and puts the details on hover', () => {
    const sut = renderFaultHeatMap([
      faultCell(),
      faultCell({ fencing: false, duplicates: 4, errorsByStatus: { '503': 2 }, checker: { issuedDuplicates: 5, deliveredDuplicates: 4, overlaps: 9 } }),
    ]);
    expect(sut).toContain('<th>delayed-write · fencing on</th><th>delayed-write · fencing off</th>');
    expect(sut).toMatch(/background:#d5f5e3" title="[^"]*">0</);
    expect(sut).toMatch(/background:#f1948a" title="[^"]*503: 2[^"]*5 duplicates issued, 4 delivered, 9 overlapping leases[^"]*">4 \(5 issued\)</);
  });
});

describe('isLedgerWrite', () => {
  const resp = (...args: string[]): Buffer => Buffer.from(`*${args.length}\r\n${args.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`);

  it('sees the plain and the fenced write of a mark, not a read', () => {
    expect(isLedgerWrite(resp('SET', 'ordernum:ledger:1001', '1764681234567:3'))).toBe(true);
    expect(isLedgerWrite(resp('EVALSHA', 'abc', '2', 'ordernum:ledger:1001', 'ordernum:fence:redis:1001', '17', '1764681234567:3'))).toBe(true);
    expect(isLedgerWrite(resp('EVALSHA', 'abc', '2', 'ordernum:ledger:1001', 'ordernum:fence:redis:1001', '17'))).toBe(false);
    expect(isLedgerWrite(resp('GET', 'ordernum:ledger:1001'))).toBe(false);
  });
});
