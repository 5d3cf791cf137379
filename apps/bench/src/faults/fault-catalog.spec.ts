import { STRATEGY_NAMES, StrategyName } from '@app/contracts';
import { FAULT_IDS } from './fault-driver';
import { createFaultDriver, faultApplies, fencingValues } from './fault-catalog';
import { switchPartner } from './switch.fault';

describe('the fault catalog', () => {
  it('has a driver for every fault id, answering to that id', () => {
    for (const id of FAULT_IDS) expect(createFaultDriver(id).id).toBe(id);
  });

  it('restarts MariaDB only under the strategies that keep something in it', () => {
    expect(faultApplies('db-restart', 'db-lock')).toBe(true);
    expect(faultApplies('db-restart', 'db-segment')).toBe(true);
    const others: StrategyName[] = ['redis', 'zookeeper', 'redis-pregen', 'snowflake'];
    expect(others.filter((strategy) => faultApplies('db-restart', strategy))).toEqual([]);
  });

  it('puts the database lock and redlock under the pause and the delayed write, as the other locks', () => {
    for (const fault of ['pause', 'delayed-write'] as const) {
      expect(faultApplies(fault, 'db-lock')).toBe(true);
      expect(faultApplies(fault, 'redlock')).toBe(true);
      expect(faultApplies(fault, 'db-segment')).toBe(false);
    }
  });

  it('runs db-lock with fencing on and off where a holder is overtaken, redlock (no token) off only', () => {
    expect(fencingValues('pause', 'db-lock')).toEqual([true, false]);
    expect(fencingValues('sigstop', 'db-lock')).toEqual([true, false]);
    expect(fencingValues('db-restart', 'db-lock')).toEqual([true]);
    expect(fencingValues('pause', 'redlock')).toEqual([false]);
    expect(fencingValues('db-restart', 'db-segment')).toEqual([true]);
  });

  it('switches only the strategies that claim uniqueness, each to another number family', () => {
    expect(faultApplies('switch', 'redlock')).toBe(false);
    expect(faultApplies('switch', 'none')).toBe(false);
    for (const strategy of ['redis', 'zookeeper', 'redis-pregen', 'db-segment', 'snowflake'] as const) {
      expect(faultApplies('switch', strategy)).toBe(true);
      expect(switchPartner(strategy)).not.toBe(strategy);
    }
    expect(switchPartner('snowflake')).toBe('redis');
  });

  it('deletes the locks that are a node or a key, and kills the ZooKeeper leader on an ensemble, for the ZooKeeper-backed', () => {
    const deletable = STRATEGY_NAMES.filter((strategy) => faultApplies('delete-lock', strategy));
    expect(deletable).toEqual(['zookeeper', 'zookeeper-ephemeral', 'redis', 'redlock', 'db-lock']);
    expect(fencingValues('delete-lock', 'redis')).toEqual([true, false]);
    expect(fencingValues('delete-lock', 'db-lock')).toEqual([true, false]);
    expect(STRATEGY_NAMES.filter((strategy) => faultApplies('zk-leader', strategy))).toEqual(['zookeeper', 'zookeeper-ephemeral', 'snowflake']);
    expect(FAULT_IDS.filter((id) => createFaultDriver(id).cluster?.ensemble)).toEqual(['zk-leader']);
    expect(FAULT_IDS.filter((id) => createFaultDriver(id).cluster?.redisAppendOnly)).toEqual(['redis-restart-aof']);
  });

  it('fails Redis over behind Sentinels, with and without WAIT, for every strategy whose numbers depend on Redis', () => {
    expect(FAULT_IDS.filter((id) => createFaultDriver(id).cluster?.redisSentinel)).toEqual(['redis-failover', 'redis-failover-wait']);
    const failedOver = STRATEGY_NAMES.filter((strategy) => faultApplies('redis-failover', strategy));
    expect(failedOver).toEqual(STRATEGY_NAMES.filter((strategy) => faultApplies('redis-restart', strategy)));
    expect(failedOver).toEqual(expect.arrayContaining(['redis', 'zookeeper', 'redis-pregen']));
    expect(fencingValues('redis-failover', 'redis')).toEqual([true]);
  });

  it('edits what the strategies keep besides a lock (MariaDB rows and tables, worker records, lock node data), fencing on', () => {
    const edited = STRATEGY_NAMES.filter((strategy) => faultApplies('edit-state', strategy));
    expect(edited).toEqual(['zookeeper-ephemeral', 'snowflake', 'db-lock', 'db-segment']);
    for (const strategy of edited) expect(fencingValues('edit-state', strategy)).toEqual([true]);
  });
});
