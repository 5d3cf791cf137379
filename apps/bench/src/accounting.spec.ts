import { checkAccounting, describeAccounting } from './accounting';
import { CONNECTION_ERROR_KEY, ResponseTally, TIMEOUT_KEY } from './response-tally';

const order = (n: number): string =>
  JSON.stringify({ orderNumber: `20261125170000000100100${String(n).padStart(2, '0')}`, strategy: 'none' });

describe('checkAccounting', () => {
  it('is ok when orders and errors add up to the requests sent', () => {
    const sut = checkAccounting(10, 7, { '503': 2, timeout: 1 });

    expect(sut).toEqual({ requestsSent: 10, successes: 7, errors: 3, unaccounted: 0, ok: true });
  });

  it('reports requests that vanished', () => {
    const sut = checkAccounting(10, 7, { '503': 1 });

    expect(sut).toMatchObject({ ok: false, unaccounted: 2 });
    expect(describeAccounting('none', sut)).toContain('ACCOUNTING MISMATCH');
  });
});

describe('ResponseTally', () => {
  it('counts orders, error statuses, bad bodies and transport errors so they add up', () => {
    const sut = new ResponseTally({ successStatus: 201, collectOrders: true });

    sut.record(201, order(1));
    sut.record(201, order(2));
    sut.record(503, '{"statusCode":503,"error":"Service Unavailable","message":"lock"}');
    sut.record(201, '{"orderNumber":"12"}');
    sut.record(422, '{}');
    sut.recordTransportErrors(3, 1);

    expect(sut.orderNumbers).toHaveLength(2);
    expect(sut.errorsByStatus).toEqual({ '503': 1, '422': 1, 'bad-body': 1, [TIMEOUT_KEY]: 1, [CONNECTION_ERROR_KEY]: 2 });
    expect(checkAccounting(8, sut.successes, sut.errorsByStatus).ok).toBe(true);
  });

  it('counts the baseline by status alone', () => {
    const sut = new ResponseTally({ successStatus: 200, collectOrders: false });

    sut.record(200, '');
    sut.record(200, '{}');

    expect(sut.successes).toBe(2);
    expect(sut.orderNumbers).toEqual([]);
  });
});
