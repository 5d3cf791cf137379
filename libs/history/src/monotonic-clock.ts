/**
 * The host's monotonic clock in ms. `process.hrtime` reads CLOCK_MONOTONIC, which every process
 * on one Linux host shares, so the checker can order leases of different replicas by it.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint() / 1000n) / 1000;
}
