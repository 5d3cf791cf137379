import { LbPolicyName } from '@app/contracts';
import { LeastActiveBalancer } from './least-active.balancer';
import { LoadBalancer } from './load-balancer';
import { RandomBalancer } from './random.balancer';
import { RoundRobinBalancer } from './round-robin.balancer';

/** The one place a policy name becomes a balancer; the `never` check fails the build when a policy is added without a class. */
export function createLoadBalancer(policy: LbPolicyName): LoadBalancer {
  switch (policy) {
    case 'round-robin':
      return new RoundRobinBalancer();
    case 'random':
      return new RandomBalancer();
    case 'least-active':
      return new LeastActiveBalancer();
    default: {
      const unknown: never = policy;
      throw new Error(`unknown LB_POLICY ${String(unknown)}`);
    }
  }
}
