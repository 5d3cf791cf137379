import { join } from 'node:path';
import Redis from 'ioredis';
import { RedisSentinel } from './redis-sentinel';
import { RedisServer } from './redis-server';
import { ReplicationLagProxy } from './replication-lag-proxy';

export interface RedisSentinelGroupOptions {
  /** Absolute; the replica and each Sentinel get a directory below it. */
  baseDir: string;
  /** The primary already running (or started before this group) on 127.0.0.1. */
  primary: RedisServer;
  replicaPort: number;
  /** One Sentinel per port; a majority of them is the quorum. */
  sentinelPorts: readonly number[];
  masterName: string;
  password?: string;
  /** Default 1000 ms: how long a primary may be silent before the Sentinels hold it down. */
  downAfterMs?: number;
  /**
   * Each data node behind a `ReplicationLagProxy` on its front port, known to everyone by that
   * port: its replicas then lag `ms` behind it. The primary must announce its front port (start it
   * with `replicaAnnounceArgs`), since it becomes a replica after a failover.
   */
  replicationLag?: { ms: number; primaryFrontPort: number; replicaFrontPort: number };
}

/** What a data node tells its primary to be reached at, so that the Sentinels address its front. */
export function replicaAnnounceArgs(frontPort: number): string[] {
  return ['--replica-announce-ip', '127.0.0.1', '--replica-announce-port', String(frontPort)];
}

const POLL_MS = 50;

/**
 * What turns one Redis into a failover setup: a replica of the primary and the Sentinels that
 * watch both. The two data nodes swap roles with each failover; `primaryPort()` says which one
 * leads now, as the Sentinels (and so the clients) see it.
 */
export class RedisSentinelGroup {
  readonly replica: RedisServer;
  readonly sentinels: RedisSentinel[];
  /** Where the data nodes are known (their lag proxies, or themselves), in `dataNodes` order. */
  private readonly fronts: [number, number];
  private proxies: ReplicationLagProxy[] = [];

  constructor(private readonly options: RedisSentinelGroupOptions) {
    const { baseDir, password, masterName, replicationLag: lag } = options;
    this.fronts = lag ? [lag.primaryFrontPort, lag.replicaFrontPort] : [options.primary.port, options.replicaPort];
    const announce = lag ? replicaAnnounceArgs(lag.replicaFrontPort) : [];
    this.replica = new RedisServer({ dataDir: join(baseDir, 'replica'), port: options.replicaPort, password, extraArgs: announce });
    const quorum = Math.floor(options.sentinelPorts.length / 2) + 1;
    this.sentinels = options.sentinelPorts.map(
      (port, i) =>
        new RedisSentinel({
          dataDir: join(baseDir, `sentinel-${i + 1}`),
          port,
          masterName,
          primaryPort: this.fronts[0],
          quorum,
          password,
          downAfterMs: options.downAfterMs,
        }),
    );
  }

  get masterName(): string {
    return this.options.masterName;
  }

  /** What `REDIS_SENTINELS` says: `127.0.0.1:port,...`. */
  get addresses(): string {
    return this.sentinels.map((sentinel) => sentinel.address).join(',');
  }

  /** Both data nodes, the primary the group was built on first. */
  get dataNodes(): RedisServer[] {
    return [this.options.primary, this.replica];
  }

  /**
   * Starts the replica, then the Sentinels, and resolves once every Sentinel knows the replica
   * and the others: before that, a primary's death could not be failed over.
   */
  async start(timeoutMs = 30_000): Promise<this> {
    const lag = this.options.replicationLag;
    if (lag) {
      this.proxies = await Promise.all(this.dataNodes.map((node, i) => ReplicationLagProxy.start(node.port, lag.ms, this.fronts[i])));
    }
    await this.replica.start();
    await this.follow(this.replica, this.fronts[0], Date.now() + timeoutMs);
    await Promise.all(this.sentinels.map((sentinel) => sentinel.start()));
    await this.waitUntilReady(timeoutMs);
    return this;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.sentinels.map((sentinel) => sentinel.stop()), this.replica.stop()]);
    await Promise.all(this.proxies.map((proxy) => proxy.close()));
  }

  /** The port the Sentinels know `node` by: its front. */
  frontPort(node: RedisServer): number {
    const index = this.dataNodes.indexOf(node);
    if (index < 0) throw new RangeError(`127.0.0.1:${node.port} is not a data node of this group`);
    return this.fronts[index];
  }

  /** The primary's (front) port as the first Sentinel that answers says. */
  async primaryPort(): Promise<number> {
    let lastError: unknown;
    for (const sentinel of this.sentinels) {
      if (!sentinel.running) continue;
      try {
        const [, port] = await this.ask(sentinel, ['get-master-addr-by-name', this.masterName]);
        return Number(port);
      } catch (error) {
        lastError = error;
      }
    }
    throw new Error(`no Sentinel of ${this.masterName} answered: ${(lastError as Error | undefined)?.message ?? 'none running'}`);
  }

  /** The data node serving as primary now. */
  async primary(): Promise<RedisServer> {
    const port = await this.primaryPort();
    const node = this.dataNodes[this.fronts.indexOf(port)];
    if (!node) throw new Error(`the Sentinels name 127.0.0.1:${port} as primary, which is none of this group's data nodes`);
    return node;
  }

  /**
   * Brings a data node that was killed back as a replica of the current primary, and has the
   * Sentinels relearn the group at once: left to themselves they would reconvert the node and
   * refresh what they know of it on their 10 s INFO period, and until then could not fail over to it.
   */
  async rejoin(node: RedisServer, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const primaryFront = await this.primaryPort();
    if (this.frontPort(node) === primaryFront) throw new Error(`127.0.0.1:${node.port} is the primary: only a replica rejoins`);
    // A Sentinel still on the old view would see its primary come back and make the new one its
    // replica, while this node replicates from the new one: each then waits for the other to sync.
    await this.waitForAgreement(primaryFront, deadline);
    if (!node.running) await node.start();
    await this.follow(node, primaryFront, deadline);
    for (const sentinel of this.sentinels) await this.command(sentinel.port, ['SENTINEL', 'RESET', this.masterName]);
    await this.waitUntilReady(Math.max(1000, deadline - Date.now()));
  }

  /** Resolves once every running Sentinel names the primary at `front`. */
  private async waitForAgreement(front: number, deadline: number): Promise<void> {
    for (;;) {
      const named = await Promise.all(
        this.sentinels
          .filter((sentinel) => sentinel.running)
          .map((sentinel) => this.ask(sentinel, ['get-master-addr-by-name', this.masterName]).then(([, port]) => port, (error: Error) => error.message)),
      );
      if (named.every((port) => port === String(front))) return;
      if (Date.now() > deadline) throw new Error(`the Sentinels of ${this.masterName} do not all name ${front} as the primary: ${named.join(', ')}`);
      await sleep(POLL_MS);
    }
  }

  /** Makes `node` a replica of the primary at `primaryFront` and resolves once it has synced. */
  private async follow(node: RedisServer, primaryFront: number, deadline: number): Promise<void> {
    await this.command(node.port, ['REPLICAOF', '127.0.0.1', String(primaryFront)]);
    for (;;) {
      const replication = String(await this.command(node.port, ['INFO', 'replication']));
      if (/master_link_status:up/.test(replication)) return;
      if (Date.now() > deadline) {
        const state = replication.split(/\r?\n/).filter((line) => /^(role|master_host|master_port|master_link_status|master_sync_in_progress|master_link_down_since_seconds):/.test(line));
        const primaryRole = await this.command(primaryFront, ['ROLE']).then((role) => JSON.stringify(role), (error: Error) => error.message);
        throw new Error(`127.0.0.1:${node.port} did not sync with the primary at ${primaryFront} in time (${state.join(', ')}; the primary's ROLE: ${primaryRole})`);
      }
      await sleep(POLL_MS);
    }
  }

  /** Resolves with the new primary once the Sentinels name another data node than `former`. */
  async waitForFailover(former: RedisServer, timeoutMs: number): Promise<RedisServer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const next = await this.primary().catch(() => former);
      if (next !== former) return next;
      if (Date.now() > deadline) throw new Error(`no failover from 127.0.0.1:${former.port} within ${timeoutMs} ms`);
      await sleep(POLL_MS);
    }
  }

  /**
   * Resolves once every Sentinel names one primary, counts the other Sentinels, and knows a
   * replica of it with its link up: what the next failover needs.
   */
  async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let why = 'not asked yet';
    for (;;) {
      why = (await this.unreadiness().catch((error: Error) => error.message)) ?? '';
      if (why === '') return;
      if (Date.now() > deadline) throw new Error(`the Sentinels of ${this.masterName} are not ready after ${timeoutMs} ms: ${why}`);
      await sleep(4 * POLL_MS);
    }
  }

  /** Why a failover could not happen now, or undefined when it could. */
  private async unreadiness(): Promise<string | undefined> {
    const others = this.sentinels.length - 1;
    const primaries = new Set<string>();
    for (const sentinel of this.sentinels) {
      const master = toRecord(await this.ask(sentinel, ['master', this.masterName]));
      primaries.add(master.port);
      if (/down/.test(master.flags)) return `${sentinel.address} holds the primary ${master.port} down (${master.flags})`;
      if (Number(master['num-other-sentinels']) < others) return `${sentinel.address} knows ${master['num-other-sentinels']} of ${others} other Sentinels`;
      const replicas = ((await this.ask(sentinel, ['replicas', this.masterName])) as unknown as string[][]).map(toRecord);
      const usable = replicas.some((replica) => replica['master-link-status'] === 'ok' && !/down|disconnected/.test(replica.flags));
      if (!usable) return `${sentinel.address} knows no replica of ${master.port} with its link up`;
    }
    return primaries.size === 1 ? undefined : `the Sentinels disagree on the primary (${[...primaries].join(', ')})`;
  }

  private async ask(sentinel: RedisSentinel, args: string[]): Promise<string[]> {
    return (await this.command(sentinel.port, ['SENTINEL', ...args])) as string[];
  }

  /** One command to a data node or Sentinel of the group, on a connection of its own. */
  private async command(port: number, [name, ...args]: string[]): Promise<unknown> {
    const client = new Redis({
      host: '127.0.0.1',
      port,
      password: this.options.password,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 1000,
      commandTimeout: 1000,
    });
    client.on('error', () => undefined); // the command's rejection says it
    try {
      await client.connect();
      return await client.call(name, ...args);
    } finally {
      client.disconnect();
    }
  }
}

/** Sentinel's flat `[name, value, name, value, ...]` replies as a record. */
function toRecord(flat: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) record[flat[i]] = flat[i + 1];
  return record;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
