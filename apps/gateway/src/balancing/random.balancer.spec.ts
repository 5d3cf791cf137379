import { BalancerCandidate } from './load-balancer';
import { RandomBalancer } from './random.balancer';

const candidates: BalancerCandidate[] = ['a', 'b', 'c', 'd'].map((id) => ({ id, active: 0 }));

describe('RandomBalancer', () => {
  it('maps the random number onto the list', () => {
    const draws = [0, 0.26, 0.5, 0.99, 1];
    const queue = [...draws];
    const sut = new RandomBalancer(() => queue.shift() ?? 0);
    expect(draws.map(() => sut.pick(candidates).id)).toEqual(['a', 'b', 'c', 'd', 'd']);
  });

  it('reaches every replica with the real random source', () => {
    const sut = new RandomBalancer();
    const seen = new Set(Array.from({ length: 400 }, () => sut.pick(candidates).id));
    expect([...seen].sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('never picks a replica that is not in the list', () => {
    const sut = new RandomBalancer();
    const remaining = candidates.filter((candidate) => candidate.id !== 'b');
    expect(Array.from({ length: 200 }, () => sut.pick(remaining).id)).not.toContain('b');
  });
});
