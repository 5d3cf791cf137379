import { METRICS } from '@app/contracts';
import { counterDelta, readCounter } from './replica-metrics';

const LOCK_ACQUISITIONS = METRICS.lockAcquisitions;
const WATCH_NOTIFICATIONS = METRICS.watchNotifications;

const SCRAPE = `# HELP ordernum_lock_acquisitions_total Locks taken
# TYPE ordernum_lock_acquisitions_total counter
ordernum_lock_acquisitions_total{strategy="zookeeper",businessId="1001"} 40
ordernum_lock_acquisitions_total{strategy="zookeeper",businessId="2001"} 2
ordernum_lock_acquisitions_total{strategy="redis"} 7
# HELP ordernum_zk_watch_notifications_total Watch events
# TYPE ordernum_zk_watch_notifications_total counter
process_cpu_seconds_total 1.5
`;

describe('readCounter', () => {
  it('sums the samples of one strategy over their other labels', () => {
    expect(readCounter(SCRAPE, LOCK_ACQUISITIONS, 'zookeeper')).toBe(42);
  });

  it('reads an exported family without a sample for the strategy as 0', () => {
    expect(readCounter(SCRAPE, WATCH_NOTIFICATIONS, 'zookeeper')).toBe(0);
  });

  it('reads a family the replica does not export as null, not 0', () => {
    expect(readCounter('process_cpu_seconds_total 1\n', LOCK_ACQUISITIONS, 'zookeeper')).toBeNull();
  });
});

describe('counterDelta', () => {
  it('divides watch notifications by acquisitions over the run', () => {
    const sut = counterDelta({ acquisitions: 10, watchNotifications: 5 }, { acquisitions: 110, watchNotifications: 305 });

    expect(sut).toEqual({ lockAcquisitions: 100, watchNotifications: 300, watchNotificationsPerAcquisition: 3 });
  });

  it('is null where a counter is unknown or no lock was taken', () => {
    expect(
      counterDelta({ acquisitions: null, watchNotifications: 1 }, { acquisitions: null, watchNotifications: 2 })
        .watchNotificationsPerAcquisition,
    ).toBeNull();
    expect(
      counterDelta({ acquisitions: 5, watchNotifications: 1 }, { acquisitions: 5, watchNotifications: 1 }).watchNotificationsPerAcquisition,
    ).toBeNull();
  });
});
