import { BalancerCandidate } from './load-balancer';
import { RoundRobinBalancer } from './round-robin.balancer';

const replicas = (...ids: string[]): BalancerCandidate[] => ids.map((id) => ({ id, active: 0 }));

function tally(picks: BalancerCandidate[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const pick of picks) counts[pick.id] = (counts[pick.id] ?? 0) + 1;
  return counts;
}

describe('RoundRobinBalancer', () => {
  it('spreads calls exactly evenly', () => {
    const sut = new RoundRobinBalancer();
    const candidates = replicas('order-1', 'order-2', 'order-3');
    const picks = Array.from({ length: 3000 }, () => sut.pick(candidates));
    expect(tally(picks)).toEqual({ 'order-1': 1000, 'order-2': 1000, 'order-3': 1000 });
  });

  it('picks position callCount % replicaCount', () => {
    const sut = new RoundRobinBalancer();
    const candidates = replicas('a', 'b', 'c');
    expect(Array.from({ length: 7 }, () => sut.pick(candidates).id)).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a']);
  });

  it('stops choosing a removed replica on the very next call', () => {
    const sut = new RoundRobinBalancer();
    sut.pick(replicas('a', 'b', 'c'));
    const remaining = replicas('a', 'c');
    const picks = Array.from({ length: 10 }, () => sut.pick(remaining).id);
    expect(picks).not.toContain('b');
    expect(tally(picks.map((id) => ({ id, active: 0 })))).toEqual({ a: 5, c: 5 });
  });

  it('brings a returning replica into rotation at once', () => {
    const sut = new RoundRobinBalancer();
    Array.from({ length: 4 }, () => sut.pick(replicas('a', 'c')));
    const picks = Array.from({ length: 3 }, () => sut.pick(replicas('a', 'b', 'c')).id);
    expect(picks.sort()).toEqual(['a', 'b', 'c']);
  });

  it('refuses an empty list', () => {
    expect(() => new RoundRobinBalancer().pick([])).toThrow(RangeError);
  });
});
