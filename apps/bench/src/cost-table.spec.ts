import { CostPerOrder } from './cost-counters';
import { COST_COLUMNS, costRows } from './cost-table';
import { fakeResults, orderNumber } from './results.fixture';

describe('costRows', () => {
  it('labels a row as the results table does: the unbatched and keyed rows apart from the plain one', () => {
    const [plain] = fakeResults([{ name: 'redis', numbers: [orderNumber(1)] }]).strategies;
    const rows = costRows([plain, { ...plain, lockBatchMax: 1 }, { ...plain, idempotencyKeys: true }]);
    expect(rows.map((row) => row[0])).toEqual(['redis', 'redis-unbatched', 'redis+keys']);
  });
});

describe('the cost columns', () => {
  it("show the servers' and the load generator's CPU and the cores busy, n/a where unknown", () => {
    const [plain] = fakeResults([{ name: 'zookeeper', numbers: [orderNumber(1)] }]).strategies;
    const cost: CostPerOrder = {
      zookeeperWrites: 2,
      zookeeperReads: 3,
      watchNotifications: 1,
      redisScripts: 2,
      redisCommands: 6,
      redisCpuSecondsPer1000: 0.02,
      cpuSecondsPer1000: 0.6,
      processes: [{ name: 'gateway', cpuSecondsPer1000: 0.25, peakRssBytes: 100 * 2 ** 20 }],
      serverCpuSecondsPer1000: { zookeeper: 0.19, redis: 0.02, mariadb: null },
      loadGeneratorCpuSecondsPer1000: 0.07,
      coresBusy: 1.93,
    };
    const [row] = costRows([{ ...plain, cost }]);
    const cell = (column: (typeof COST_COLUMNS)[number]) => row[COST_COLUMNS.indexOf(column)];
    expect(cell('zk cpu s/1k')).toBe('0.19');
    expect(cell('db cpu s/1k')).toBe('n/a');
    expect(cell('load gen cpu s/1k')).toBe('0.07');
    expect(cell('cores busy')).toBe('1.93');
    expect(cell('peak RSS MiB (per process)')).toBe('gw 100');
  });
});
