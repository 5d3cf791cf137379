import { LocalCluster } from '@app/cluster';
import { ZookeeperEnsemble } from '@app/provisioning';
import { FaultDriver, FaultSetup, FaultWindow, sleep } from './fault-driver';

/** Lets the load reach full speed before the fault. */
const LEAD_MS = 1000;
/** A quorum of the two left elects within a few ticks; past this something is wrong. */
const ELECTION_WITHIN_MS = 20_000;

/**
 * The leader of the 3-node ensemble SIGKILLed under load: the two followers elect a new leader
 * while every session on the dead server moves to another, then the old one is started again
 * and rejoins as a follower. The window is the election, from the kill to a new leader.
 */
export class ZkLeaderFault implements FaultDriver {
  readonly id = 'zk-leader' as const;
  readonly seedsMarksAhead = true;
  readonly cluster = { ensemble: true };

  async setup(): Promise<FaultSetup> {
    return {};
  }

  async inject(cluster: LocalCluster): Promise<FaultWindow> {
    const ensemble = cluster.zookeeper;
    if (!(ensemble instanceof ZookeeperEnsemble)) throw new Error('zk-leader needs the cluster on a ZooKeeper ensemble (its setup asks for one)');
    await sleep(LEAD_MS);
    const leader = await ensemble.waitForLeader(ELECTION_WITHIN_MS);
    const startedAt = Date.now();
    await cluster.killServer(`the ZooKeeper leader ${leader.connectString}`, leader);
    const next = await ensemble.waitForLeader(ELECTION_WITHIN_MS, leader);
    const endedAt = Date.now();
    // It rejoins as a follower: the ensemble is whole again for the next cell.
    await cluster.startServer(`ZooKeeper ${leader.connectString}`, leader);
    const note = `leader ${leader.connectString} SIGKILLed; ${next.connectString} led ${endedAt - startedAt} ms later; the old leader rejoined`;
    return { startedAt, endedAt, note };
  }

  async cleanup(): Promise<void> {
    // The restarted server belongs to the cluster, which stops it.
  }
}
