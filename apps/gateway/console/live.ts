/// <reference lib="dom" />
import { LineChart } from './chart';
import { byId, h, pretty, replace } from './dom';

interface Counts {
  issued: number;
  unavailable: number;
  p99Ms: number | null;
}

interface Snapshot {
  at: string;
  error?: string;
  gateway: {
    status: string;
    zookeeper: { session: string; servers: { server: string; mode?: string; error?: string }[] };
    master: { id: string; node: string } | null;
  };
  replicas: {
    id: string;
    host: string;
    httpPort: number;
    tcpPort: number;
    inFlight: number;
    served: number;
    rejected: number;
    failed: number;
    status?: { strategy?: string; config?: unknown; configVersion?: number; configRejected?: unknown; master?: boolean };
    health?: { status: string };
    error?: string;
  }[];
  workers: { workerId: string; holder: unknown; session: string | null }[];
  pools: { depths: Record<string, number> } | { error: string };
  traffic: { duplicateWindow: number; byReplica: Record<string, Counts>; byStrategy: Record<string, Counts & { duplicates: number }> };
}

/** The live view: one server-sent event per second from /console/events, drawn as tables and charts. */
export class LiveView {
  private previous?: { at: number; byReplica: Record<string, Counts>; byStrategy: Record<string, Counts> };
  private readonly charts = {
    replicaRate: new LineChart('orders/s per replica'),
    replica503: new LineChart('503/s per replica'),
    replicaP99: new LineChart('p99 ms per replica (last 1,000 calls)'),
    strategyRate: new LineChart('orders/s per strategy'),
    strategy503: new LineChart('503/s per strategy'),
    strategyP99: new LineChart('p99 ms per strategy (last 1,000 calls)'),
  };

  mount(): void {
    replace(byId('charts'), ...Object.values(this.charts).map((chart) => chart.element));
    const source = new EventSource('/console/events');
    source.onmessage = (event: MessageEvent<string>) => this.render(JSON.parse(event.data) as Snapshot);
    source.onerror = () => replace(byId('live-state'), h('span', { class: 'bad' }, 'live feed interrupted: reconnecting…'));
  }

  private render(snapshot: Snapshot): void {
    if (snapshot.error !== undefined) {
      replace(byId('live-state'), h('span', { class: 'bad' }, `snapshot failed: ${snapshot.error}`));
      return;
    }
    const { gateway, replicas, workers, traffic } = snapshot;
    replace(byId('live-state'), `live, ${new Date(snapshot.at).toLocaleTimeString()} · gateway ${gateway.status} · ZooKeeper session ${gateway.zookeeper.session}`);
    replace(byId('master'), gateway.master ? h('b', {}, gateway.master.id) : h('span', { class: 'bad' }, 'none'), gateway.master ? ` (${gateway.master.node})` : '');
    replace(byId('servers'), ...gateway.zookeeper.servers.map((server) => h('li', {}, `${server.server}: `, server.mode ?? h('span', { class: 'bad' }, server.error ?? '?'))));
    replace(
      byId('replica-rows'),
      ...replicas.map((replica) =>
        h(
          'tr',
          { 'data-replica': replica.id },
          h('td', {}, replica.id, replica.status?.master ? h('span', { class: 'tag' }, 'master') : null),
          h('td', {}, `${replica.host}:${replica.httpPort} / tcp ${replica.tcpPort}`),
          h('td', {}, replica.status?.strategy ?? '?'),
          h('td', {}, replica.health?.status ?? h('span', { class: 'bad' }, replica.error ?? 'no answer')),
          h('td', { class: 'num' }, replica.inFlight),
          h('td', { class: 'num' }, replica.served),
          h('td', { class: 'num' }, replica.rejected + replica.failed),
        ),
      ),
    );
    replace(byId('replica-count'), `${replicas.length} registered`);
    replace(byId('workers'), ...(workers.length === 0 ? ['none leased'] : workers.map((worker) => h('li', {}, `${worker.workerId}: ${pretty(worker.holder)} (session ${worker.session ?? '?'})`))));
    const { pools } = snapshot;
    replace(byId('pools'), ...('error' in pools ? [h('span', { class: 'bad' }, pools.error)] : Object.entries(pools.depths).map(([line, depth]) => h('li', {}, `${line}: ${depth}`))));
    const first = replicas.find((replica) => replica.status !== undefined)?.status;
    replace(byId('config-in-force'), first ? `version ${first.configVersion ?? '?'}: ${JSON.stringify(first.config)}` : 'unknown');
    const refused = replicas.filter((replica) => replica.status?.configRejected);
    replace(byId('config-refused'), ...(refused.length === 0 ? ['none'] : refused.map((replica) => h('div', { class: 'bad' }, `${replica.id}: ${pretty(replica.status?.configRejected)}`))));
    replace(
      byId('duplicates'),
      `window: the last ${traffic.duplicateWindow.toLocaleString('en')} numbers per strategy this gateway forwarded · `,
      ...Object.entries(traffic.byStrategy).map(([name, counts]) => h('span', { class: counts.duplicates > 0 ? 'bad dup' : 'dup', 'data-strategy': name }, `${name}: ${counts.duplicates} `)),
    );
    this.chart(Date.parse(snapshot.at), traffic);
  }

  private chart(at: number, traffic: Snapshot['traffic']): void {
    const previous = this.previous;
    this.previous = { at, byReplica: traffic.byReplica, byStrategy: traffic.byStrategy };
    if (!previous || at <= previous.at) return;
    const seconds = (at - previous.at) / 1000;
    const rate = (now: Record<string, Counts>, before: Record<string, Counts>, key: 'issued' | 'unavailable') =>
      Object.fromEntries(Object.entries(now).map(([name, counts]) => [name, (counts[key] - (before[name]?.[key] ?? 0)) / seconds]));
    const p99 = (now: Record<string, Counts>) => Object.fromEntries(Object.entries(now).map(([name, counts]) => [name, counts.p99Ms ?? 0]));
    this.charts.replicaRate.push(rate(traffic.byReplica, previous.byReplica, 'issued'));
    this.charts.replica503.push(rate(traffic.byReplica, previous.byReplica, 'unavailable'));
    this.charts.replicaP99.push(p99(traffic.byReplica));
    this.charts.strategyRate.push(rate(traffic.byStrategy, previous.byStrategy, 'issued'));
    this.charts.strategy503.push(rate(traffic.byStrategy, previous.byStrategy, 'unavailable'));
    this.charts.strategyP99.push(p99(traffic.byStrategy));
  }
}
