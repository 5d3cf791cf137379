import { UnavailableError } from '@app/errors';

/** This replica's clock is not known to be within MAX_CLOCK_SKEW_MS of ZooKeeper's: it stamps no number. */
export class ClockSkewError extends UnavailableError {
  constructor(reason: string) {
    super(`refusing to issue: ${reason}`);
  }
}
