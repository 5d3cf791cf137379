import { costRows } from './cost-table';
import { fakeResults, orderNumber } from './results.fixture';

describe('costRows', () => {
  it('labels a row as the results table does: the unbatched and keyed rows apart from the plain one', () => {
    const [plain] = fakeResults([{ name: 'redis', numbers: [orderNumber(1)] }]).strategies;
    const rows = costRows([plain, { ...plain, lockBatchMax: 1 }, { ...plain, idempotencyKeys: true }]);
    expect(rows.map((row) => row[0])).toEqual(['redis', 'redis-unbatched', 'redis+keys']);
  });
});
