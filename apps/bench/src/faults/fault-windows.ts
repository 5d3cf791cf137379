import { FaultId } from './fault-driver';

/** What each fault does and which window of the critical section it opens: the report says it beside the numbers. */
export const FAULT_WINDOWS: Readonly<Record<FaultId, string>> = {
  pause:
    'The target stops the world (event loop included) between computing the next mark and writing it, past its lease; ' +
    'another replica takes the lock and issues, then the stale write lands. Fencing refuses that write.',
  sigstop:
    'A real SIGSTOP of the target, past every lease, at whatever point it happens to be. Most of the time it is outside ' +
    'the read-write window, and the lease’s own lost-check (after the read) catches the rest; the timestamps do the remainder.',
  'delayed-write':
    'Kleppmann’s case: a TCP proxy holds the target’s Redis traffic from its next ledger write on (and its ZooKeeper ' +
    'traffic too, for the ZooKeeper locks, until its session expires), so the write lands after another holder’s.',
  'kill-replica': 'SIGKILL of the target mid-load, then a restart on its ports; what it held is given up by TTL or session expiry.',
  'redis-restart':
    'Redis SIGKILLed and restarted without persistence (as the local cluster runs it): every mark, fence, pool and lock is ' +
    'gone, so the ledger starts again from the clock; numbers issued in the last milliseconds before the crash are the window.',
  'redis-restart-aof':
    'Redis SIGKILLed and restarted on its append-only file, fsynced before every reply (as compose and k8s run it): ' +
    'every acknowledged mark, fence and pool comes back; locks come back too, and expire by their TTL.',
  'redis-failover':
    'The Redis primary SIGKILLed; three Sentinels promote its replica and the order replicas follow them. Replication is ' +
    'asynchronous: the marks, fences and pool pops the primary acknowledged last may be missing on the replica, and with the ' +
    'marks seeded ahead a rolled-back mark issues those numbers again. The pools are safe: the promoted node is a new run.',
  'redis-failover-wait':
    'The same failover with REDIS_WAIT_REPLICAS=1: no number is answered before the replica acknowledged the writes it was ' +
    'issued against (WAIT), so what the promoted replica lacks was never handed out; a WAIT cut off by the crash is a 503.',
  'zk-restart':
    'The standalone ZooKeeper SIGKILLed and restarted on its data: lock holders lose their sessions or reconnect; ' +
    'the locks must not be held twice meanwhile.',
  'zk-leader':
    'The leader of the 3-node ensemble SIGKILLed: the followers elect a new one while the sessions on the dead server ' +
    'move to another; a lock held in a session that moved is still held, one whose session expired is gone.',
  'db-restart':
    'MariaDB SIGKILLed and restarted on its data: db-lock holders lose their GET_LOCK with the connection (the lease ' +
    'is lost), committed tokens and segment ends survive; db-segment serves from its buffers while they last.',
  'clock-ahead': 'One replica’s wall clock 600 ms ahead (libfaketime), below the skew guard, so it keeps issuing.',
  'clock-behind': 'One replica’s wall clock 600 ms behind (libfaketime), below the skew guard, so it keeps issuing.',
  'delete-lock':
    'An operator deletes the lock (the ZooKeeper lock folder, the Redis lock keys, or KILLs the connections holding a ' +
    'GET_LOCK) three times under load, whoever holds it: another replica takes it while the holder may still be inside ' +
    'its critical section, and the lock must heal.',
  'edit-state':
    'An operator deletes or rewrites what a strategy keeps besides its lock, three times under load: MariaDB’s token or ' +
    'segment rows and tables, snowflake’s /worker-state records, the ephemeral lock node’s data. It must heal without a ' +
    'restart, and what was lost must not bring back a number already used.',
  switch:
    'An operator switches the strategy to another number family under load and back 1.5 s later: each family must ' +
    'start above the other’s high-water mark, and a request caught by the switch must not issue under the old epoch.',
};
