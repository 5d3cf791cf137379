import {
  CostSnapshot,
  costPerOrder,
  cpuSecondsFromStat,
  parseCommandStats,
  parseRedisCpu,
  peakRssFromStatus,
  zookeeperCountersOf,
} from './cost-counters';

const snapshot = (overrides: Partial<CostSnapshot> = {}): CostSnapshot => ({
  zookeeper: { writes: 100, reads: 50, watchNotifications: 10 },
  redis: { calls: { evalsha: 10, get: 5, publish: 1, info: 3 }, cpuSeconds: 1.5 },
  processes: { 'replica r1': { cpuSeconds: 2, peakRssBytes: 100 }, gateway: { cpuSeconds: 1, peakRssBytes: 50 } },
  servers: [
    { role: 'zookeeper', name: 'ZooKeeper #1', cpuSeconds: 10 },
    { role: 'zookeeper', name: 'ZooKeeper #2', cpuSeconds: 20 },
    { role: 'redis', name: 'Redis', cpuSeconds: 5 },
    { role: 'mariadb', name: 'MariaDB', cpuSeconds: 7 },
  ],
  loadGeneratorCpuSeconds: 3,
  takenAtMs: 1_000,
  ...overrides,
});

describe('costPerOrder', () => {
  it('divides every delta by the orders: ZooKeeper, Redis scripts apart from other commands, CPU per 1,000', () => {
    const after = snapshot({
      zookeeper: { writes: 400, reads: 250, watchNotifications: 70 },
      // evalsha +200, get +100, publish +99, set appears for the first time (was 0): +100; info is the bench's own.
      redis: { calls: { evalsha: 210, get: 105, publish: 100, set: 100, info: 9 }, cpuSeconds: 2.5 },
      processes: { 'replica r1': { cpuSeconds: 4, peakRssBytes: 300 }, gateway: { cpuSeconds: 2, peakRssBytes: 80 } },
    });
    const sut = costPerOrder(snapshot(), after, 100);
    expect(sut.zookeeperWrites).toBe(3);
    expect(sut.zookeeperReads).toBe(2);
    expect(sut.watchNotifications).toBe(0.6);
    expect(sut.redisScripts).toBe(2);
    expect(sut.redisCommands).toBe(2.99);
    expect(sut.redisCpuSecondsPer1000).toBeCloseTo(10);
    expect(sut.processes).toEqual([
      { name: 'replica r1', cpuSecondsPer1000: 20, peakRssBytes: 300 },
      { name: 'gateway', cpuSecondsPer1000: 10, peakRssBytes: 80 },
    ]);
    expect(sut.cpuSecondsPer1000).toBe(30);
  });

  it('sums the servers by role, counts the load generator, and says how many cores the run kept busy', () => {
    const after = snapshot({
      processes: { 'replica r1': { cpuSeconds: 2.5, peakRssBytes: 100 }, gateway: { cpuSeconds: 2, peakRssBytes: 50 } },
      servers: [
        { role: 'zookeeper', name: 'ZooKeeper #1', cpuSeconds: 10.25 },
        { role: 'zookeeper', name: 'ZooKeeper #2', cpuSeconds: 20.25 },
        { role: 'redis', name: 'Redis', cpuSeconds: 5.1 },
        { role: 'mariadb', name: 'MariaDB', cpuSeconds: 7 },
      ],
      loadGeneratorCpuSeconds: 3.4,
      takenAtMs: 2_000,
    });
    const sut = costPerOrder(snapshot(), after, 500);
    expect(sut.serverCpuSecondsPer1000.zookeeper).toBeCloseTo(1); // 0.5 s over both servers
    expect(sut.serverCpuSecondsPer1000.redis).toBeCloseTo(0.2);
    expect(sut.serverCpuSecondsPer1000.mariadb).toBe(0);
    expect(sut.loadGeneratorCpuSecondsPer1000).toBeCloseTo(0.8);
    // replicas 0.5 + gateway 1 + servers 0.6 + load generator 0.4 = 2.5 CPU seconds in 1 s of wall clock.
    expect(sut.coresBusy).toBeCloseTo(2.5);
  });

  it('leaves the cores busy unknown when a server could not be read, or the state lists none', () => {
    const zookeeperDown = snapshot({ servers: snapshot().servers.map((s) => (s.name === 'ZooKeeper #2' ? { ...s, cpuSeconds: null } : s)) });
    const down = costPerOrder(snapshot(), { ...zookeeperDown, takenAtMs: 2_000 }, 100);
    expect(down.serverCpuSecondsPer1000).toEqual({ zookeeper: null, redis: 0, mariadb: 0 });
    expect(down.coresBusy).toBeNull();
    const unlisted = costPerOrder(snapshot({ servers: [] }), snapshot({ servers: [], takenAtMs: 2_000 }), 100);
    expect(unlisted.serverCpuSecondsPer1000).toEqual({});
    expect(unlisted.coresBusy).toBeNull();
  });

  it('says null, not 0, where a counter could not be read or no order was issued', () => {
    const unknown = costPerOrder(snapshot({ zookeeper: null, redis: null }), snapshot(), 100);
    expect(unknown).toMatchObject({ zookeeperWrites: null, zookeeperReads: null, redisScripts: null, redisCommands: null });
    const oneProcessMissing = costPerOrder(snapshot(), snapshot({ processes: { ...snapshot().processes, gateway: null } }), 100);
    expect(oneProcessMissing.cpuSecondsPer1000).toBeNull();
    expect(oneProcessMissing.processes[1]).toEqual({ name: 'gateway', cpuSecondsPer1000: null, peakRssBytes: null });
    expect(costPerOrder(snapshot(), snapshot(), 0).zookeeperWrites).toBeNull();
  });
});

describe('the counter parsers', () => {
  it('reads INFO commandstats, subcommands included', () => {
    const info = '# Commandstats\r\ncmdstat_evalsha:calls=12,usec=3,usec_per_call=0.25,rejected_calls=0,failed_calls=0\r\ncmdstat_config|resetstat:calls=1,usec=5\r\n';
    expect(parseCommandStats(info)).toEqual({ evalsha: 12, 'config|resetstat': 1 });
  });

  it('reads INFO cpu as system + user seconds', () => {
    expect(parseRedisCpu('# CPU\r\nused_cpu_sys:1.250000\r\nused_cpu_user:0.750000\r\n')).toBe(2);
    expect(parseRedisCpu('used_cpu_sys:1.0\r\n')).toBeNull();
  });

  it('sums the four watch-event histograms of mntr, and refuses an mntr without them', () => {
    const mntr = {
      zk_cnt_updatelatency: 7,
      zk_cnt_readlatency: 9,
      zk_sum_node_created_watch_count: 1,
      zk_sum_node_deleted_watch_count: 2,
      zk_sum_node_changed_watch_count: 3,
      zk_sum_node_children_watch_count: 4,
    };
    expect(zookeeperCountersOf(mntr)).toEqual({ writes: 7, reads: 9, watchNotifications: 10 });
    expect(zookeeperCountersOf({ zk_cnt_updatelatency: 7 })).toBeNull();
  });

  it('reads utime + stime from /proc/<pid>/stat even when the command name holds spaces and parentheses', () => {
    const stat = '4242 (node (gateway) x) S 1 4242 4242 0 -1 4194560 5000 0 0 0 250 50 0 0 20 0 11 0 100 1000 2000';
    expect(cpuSecondsFromStat(stat)).toBe(3);
  });

  it('reads the peak RSS (VmHWM) from /proc/<pid>/status', () => {
    expect(peakRssFromStatus('Name:\tnode\nVmHWM:\t  123456 kB\nVmRSS:\t  100 kB\n')).toBe(123456 * 1024);
    expect(peakRssFromStatus('Name:\tnode\n')).toBeNull();
  });
});
