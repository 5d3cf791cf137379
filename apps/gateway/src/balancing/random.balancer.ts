import { BalancerCandidate, LoadBalancer, NoCandidateError } from './load-balancer';

/** Uniformly random; `random` is injectable so that tests are deterministic. */
export class RandomBalancer implements LoadBalancer {
  readonly policy = 'random';

  constructor(private readonly random: () => number = Math.random) {}

  pick<C extends BalancerCandidate>(candidates: readonly C[]): C {
    if (candidates.length === 0) throw new NoCandidateError(this.policy);
    // min() guards a random() that returns exactly 1 (a test stub may).
    return candidates[Math.min(candidates.length - 1, Math.floor(this.random() * candidates.length))];
  }
}
