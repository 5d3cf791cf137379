import { LbPolicyName } from '@app/contracts';

/** What a balancer may know about a replica: its identity and how many calls it has in flight now. */
export interface BalancerCandidate {
  readonly id: string;
  readonly active: number;
}

/**
 * The seam between "which replicas exist" and "which one gets this call", one file per policy
 * (like Nest's ClientProxy per transport). A balancer is handed the current candidates on every
 * call rather than keeping its own list, so a replica that leaves the registry is out of rotation
 * on the very next call, and a retry can simply pass the list without the replica that failed.
 */
export interface LoadBalancer {
  readonly policy: LbPolicyName;
  /** Picks one of `candidates` (sorted by id, never empty) for the next call. */
  pick<C extends BalancerCandidate>(candidates: readonly C[]): C;
}

/** Thrown by every balancer on an empty list: the caller must answer "no replica" before asking. */
export class NoCandidateError extends RangeError {
  constructor(readonly policy: LbPolicyName) {
    super(`${policy} balancer called without candidates`);
    this.name = 'NoCandidateError';
  }
}
