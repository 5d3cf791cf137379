import { FaultResult } from './fault-result';

/** A clean cell; tests override what they are about. */
export function faultCell(overrides: Partial<FaultResult> = {}): FaultResult {
  return {
    strategy: 'redis',
    fault: 'delayed-write',
    fencing: true,
    orders: 1000,
    duplicates: 0,
    errorsByStatus: {},
    hung: 0,
    p50: 12,
    p99: 4100,
    recoverMs: 20,
    checker: { issuedDuplicates: 0, deliveredDuplicates: 0, overlaps: 0 },
    requests: 1000,
    durationMs: 9000,
    note: 'held',
    ...overrides,
  };
}
