import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { METRICS } from '@app/contracts';
import { DbSegmentStrategy, LockedStrategy } from '@app/order-numbers';
import { StrategyRegistry } from '../orders/strategy-registry.service';

/**
 * Prometheus counters of one replica. The lock counters are read from the locks at scrape time,
 * so the hot path pays one integer increment, not a metrics call.
 */
@Injectable()
export class OrderMetrics {
  readonly registry = new Registry();
  private readonly issuedTotal = new Counter({
    name: METRICS.ordersIssued,
    help: 'Order numbers issued, by strategy',
    labelNames: ['strategy'],
    registers: [this.registry],
  });
  private readonly failedTotal = new Counter({
    name: METRICS.orderFailures,
    help: 'Order requests that failed after validation, by strategy',
    labelNames: ['strategy'],
    registers: [this.registry],
  });

  constructor(strategies: StrategyRegistry) {
    const lockCounter = (name: string, help: string, read: (strategy: LockedStrategy) => number) =>
      new Counter({
        name,
        help,
        labelNames: ['strategy'],
        registers: [this.registry],
        collect() {
          this.reset();
          for (const strategy of strategies.built()) {
            if (strategy instanceof LockedStrategy) this.inc({ strategy: strategy.name }, read(strategy));
          }
        },
      });
    lockCounter(METRICS.lockAcquisitions, 'Lock acquisitions, by strategy', (s) => s.lockStats.acquisitions);
    lockCounter(
      METRICS.watchNotifications,
      'ZooKeeper watch notifications received while waiting for a lock, by strategy',
      (s) => s.lockStats.watchNotifications,
    );
    const segments = () => strategies.built().flatMap((strategy) => (strategy instanceof DbSegmentStrategy ? strategy.stats() : []));
    new Counter({
      name: METRICS.segmentAllocations,
      help: 'Segments db-segment took from the MariaDB ledger, by business line',
      labelNames: ['business_id'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const line of segments()) this.inc({ business_id: String(line.businessId) }, line.allocations);
      },
    });
    new Gauge({
      name: METRICS.segmentStep,
      help: "Size of db-segment's next segment, by business line (grows under load, shrinks when idle)",
      labelNames: ['business_id'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const line of segments()) this.set({ business_id: String(line.businessId) }, line.step);
      },
    });
  }

  issued(strategy: string): void {
    this.issuedTotal.inc({ strategy });
  }

  failed(strategy: string): void {
    this.failedTotal.inc({ strategy });
  }
}
