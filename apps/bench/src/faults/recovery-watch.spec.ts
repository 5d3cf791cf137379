import { RecoveryWatch } from './recovery-watch';

const order = (replica: string, businessId: number) => JSON.stringify({ orderNumber: '2026120409000000010010001', replica, businessId });

describe('RecoveryWatch', () => {
  it('has the target recovered only once it issued again for every business line of the load', () => {
    const sut = new RecoveryWatch('order-1', [1001, 2001]);
    const end = Date.now();
    sut.answer(201, order('order-1', 1001));
    sut.answer(201, order('order-2', 2001)); // another replica's order says nothing of the target
    sut.answer(503, order('order-1', 2001));
    expect(sut.since(end)).toBeNull();
    sut.answer(201, order('order-1', 2001));
    expect(sut.since(end)).toEqual(expect.any(Number));
  });

  it('counts no order issued before the fault ended', () => {
    const sut = new RecoveryWatch('order-1', [1001]);
    sut.answer(201, order('order-1', 1001));
    expect(sut.since(Date.now() + 1000)).toBeNull();
  });
});
