import { BalancerCandidate, LoadBalancer, NoCandidateError } from './load-balancer';

/**
 * `position = callCount % replicaCount`, exactly (DESIGN §4): with a fixed set of n replicas every
 * run of n calls visits each once. When the set changes, the count carries on over the new list.
 */
export class RoundRobinBalancer implements LoadBalancer {
  readonly policy = 'round-robin';
  private callCount = 0;

  pick<C extends BalancerCandidate>(candidates: readonly C[]): C {
    if (candidates.length === 0) throw new NoCandidateError(this.policy);
    const position = this.callCount % candidates.length;
    // Wraps long before 2^53 so that the modulo stays exact on a gateway that runs for years.
    this.callCount = (this.callCount + 1) % Number.MAX_SAFE_INTEGER;
    return candidates[position];
  }
}
