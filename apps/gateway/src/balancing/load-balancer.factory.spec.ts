import { LB_POLICIES } from '@app/contracts';
import { createLoadBalancer } from './load-balancer.factory';

describe('createLoadBalancer', () => {
  it.each(LB_POLICIES)('builds a %s balancer', (policy) => {
    expect(createLoadBalancer(policy).policy).toBe(policy);
  });
});
