/** The Prometheus families every replica exports at `/metrics`; the bench scrapes them by these names. */
export const METRICS = {
  ordersIssued: 'ordernum_orders_issued_total',
  orderFailures: 'ordernum_order_failures_total',
  lockAcquisitions: 'ordernum_lock_acquisitions_total',
  watchNotifications: 'ordernum_zk_watch_notifications_total',
  /** `db-segment`: segments taken from the MariaDB ledger, by business line. */
  segmentAllocations: 'ordernum_segment_allocations_total',
  /** `db-segment`: the size the next segment of a business line will have (the adaptive step). */
  segmentStep: 'ordernum_segment_step',
} as const;
