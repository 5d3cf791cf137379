import { LeastActiveBalancer } from './least-active.balancer';

describe('LeastActiveBalancer', () => {
  it('picks the replica with the fewest calls in flight', () => {
    const sut = new LeastActiveBalancer();
    const candidates = [
      { id: 'a', active: 5 },
      { id: 'b', active: 1 },
      { id: 'c', active: 3 },
    ];
    expect(sut.pick(candidates).id).toBe('b');
  });

  it('spreads evenly among the tied', () => {
    const sut = new LeastActiveBalancer();
    const candidates = [
      { id: 'a', active: 0 },
      { id: 'b', active: 2 },
      { id: 'c', active: 0 },
    ];
    expect(Array.from({ length: 4 }, () => sut.pick(candidates).id)).toEqual(['a', 'c', 'a', 'c']);
  });

  it('follows the load as it changes', () => {
    const sut = new LeastActiveBalancer();
    const active = new Map([
      ['a', 0],
      ['b', 0],
    ]);
    const candidates = () => [...active].map(([id, count]) => ({ id, active: count }));
    for (let i = 0; i < 6; i++) {
      const chosen = sut.pick(candidates());
      active.set(chosen.id, (active.get(chosen.id) ?? 0) + 1);
    }
    expect(Object.fromEntries(active)).toEqual({ a: 3, b: 3 });
  });
});
