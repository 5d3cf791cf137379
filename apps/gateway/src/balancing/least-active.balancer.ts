import { BalancerCandidate, LoadBalancer, NoCandidateError } from './load-balancer';

/**
 * The replica with the fewest calls in flight; ties go round-robin among the tied, so that an idle
 * cluster (all at 0) is still spread evenly instead of always hitting the first replica.
 */
export class LeastActiveBalancer implements LoadBalancer {
  readonly policy = 'least-active';
  private tieBreak = 0;

  pick<C extends BalancerCandidate>(candidates: readonly C[]): C {
    if (candidates.length === 0) throw new NoCandidateError(this.policy);
    const fewest = Math.min(...candidates.map((candidate) => candidate.active));
    const tied = candidates.filter((candidate) => candidate.active === fewest);
    const chosen = tied[this.tieBreak % tied.length];
    this.tieBreak = (this.tieBreak + 1) % Number.MAX_SAFE_INTEGER;
    return chosen;
  }
}
