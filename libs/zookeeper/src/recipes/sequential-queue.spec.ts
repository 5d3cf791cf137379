import { markedBy, queuePlace, sequenceOf, sortBySequence } from './sequential-queue';

describe('sequenceOf', () => {
  it('reads the 10-digit counter ZooKeeper appends, whatever comes before it', () => {
    expect(sequenceOf('lock-3f2a-0000000042')).toBe(42);
    expect(sequenceOf('n_0000000007')).toBe(7);
  });

  it('puts a name without a counter after every sequential node', () => {
    expect(sequenceOf('stray')).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('sortBySequence', () => {
  it('orders by the counter, not by the random marker before it', () => {
    const sut = sortBySequence(['lock-ffff-0000000003', 'lock-0000-0000000010', 'lock-aaaa-0000000001']);
    expect(sut).toEqual(['lock-aaaa-0000000001', 'lock-ffff-0000000003', 'lock-0000-0000000010']);
  });

  it('orders past the point where a string sort and a number sort disagree', () => {
    expect(sortBySequence(['n_b-0000000100', 'n_a-0000000099'])).toEqual(['n_a-0000000099', 'n_b-0000000100']);
  });

  it('leaves its input alone', () => {
    const input = ['n_0000000002', 'n_0000000001'];
    sortBySequence(input);
    expect(input).toEqual(['n_0000000002', 'n_0000000001']);
  });
});

describe('queuePlace', () => {
  const children = ['lock-c-0000000005', 'other', 'lock-a-0000000009', 'lock-b-0000000002'];

  it('finds the node just ahead of ours among the recipe’s nodes only', () => {
    const sut = queuePlace(children, 'lock-a-0000000009', 'lock-');
    expect(sut).toEqual({ queue: ['lock-b-0000000002', 'lock-c-0000000005', 'lock-a-0000000009'], position: 2, predecessor: 'lock-c-0000000005' });
  });

  it('has no predecessor at the head', () => {
    expect(queuePlace(children, 'lock-b-0000000002', 'lock-')).toMatchObject({ position: 0, predecessor: undefined });
  });

  it('says -1 when our node is gone', () => {
    expect(queuePlace(children, 'lock-z-0000000001', 'lock-')).toMatchObject({ position: -1, predecessor: undefined });
  });
});

describe('markedBy', () => {
  it('finds every node of one attempt, twins included', () => {
    expect(markedBy(['lock-m1-0000000001', 'lock-m2-0000000002', 'lock-m1-0000000003'], 'm1')).toEqual(['lock-m1-0000000001', 'lock-m1-0000000003']);
  });
});
