import { randomUUID } from 'node:crypto';
import { EventEmitter, setMaxListeners } from 'node:events';
import { Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { CreateMode } from 'node-zookeeper-client';
import { UnavailableError } from '@app/errors';
import { EpochBook } from '@app/order-numbers';
import { isNodeExists, isNoNode, ZookeeperSession } from '@app/zookeeper';
import { OrderServiceConfig, RuntimeConfig, ZookeeperPaths } from '@app/contracts';
import { ConfigCenter } from '../config/config-center.service';
import { ORDER_SERVICE_CONFIG } from '../config/config.tokens';

/** The config a replica issues under, and the epoch that leads every fencing token it uses (DESIGN §3). */
export interface Adopted {
  config: RuntimeConfig;
  epoch: number;
  generation: string;
  counter: number;
}

/** No epoch adopted yet (Redis or ZooKeeper unreachable since start, or a ZooKeeper reset under way). */
export class NoEpochError extends UnavailableError {
  constructor(reason: string) {
    super(`no epoch adopted yet: ${reason}`);
  }
}

/**
 * Turns every config the config center puts in force into an epoch, and only then lets the replica
 * issue under it: the strategy and the epoch change together, so a request always carries the epoch
 * of the strategy it runs. The counter is the config node's mzxid, which grows with every write and
 * every re-creation; a ZooKeeper that lost its data is told apart by the generation node, and its
 * epochs start above every earlier one (`EpochBook`).
 */
@Injectable()
export class EpochService {
  private readonly logger = new Logger(EpochService.name);
  private readonly events = new EventEmitter();
  private readonly book: EpochBook;
  private readonly paths: ZookeeperPaths;
  private adopted?: Adopted;
  private wanted?: { config: RuntimeConfig; counter: number };
  private running?: Promise<void>;
  private lastFailure = 'not read yet';
  private readonly supersession = new Map<number, AbortController>();

  constructor(
    @Inject(ORDER_SERVICE_CONFIG) env: OrderServiceConfig,
    private readonly session: ZookeeperSession,
    @Inject(Redis) redis: Redis,
    configCenter: ConfigCenter,
  ) {
    this.book = new EpochBook(redis, env.REDIS_PREFIX);
    this.paths = new ZookeeperPaths(env.ZK_ROOT);
    configCenter.onRead((config, counter) => {
      this.wanted = { config, counter };
      void this.adoptWanted();
    });
  }

  get current(): Adopted | undefined {
    return this.adopted;
  }

  /**
   * Aborted as soon as this replica adopts an epoch newer than `epoch`: a request still waiting
   * under the old one (for a lock, a pool, a clock) gives up and starts again under the new one.
   */
  supersededSignal(epoch: number): AbortSignal {
    if (this.adopted && this.adopted.epoch > epoch) return AbortSignal.abort();
    let controller = this.supersession.get(epoch);
    if (!controller) {
      controller = new AbortController();
      // Every request in flight under this epoch listens to it: many listeners are the design.
      setMaxListeners(0, controller.signal);
      this.supersession.set(epoch, controller);
    }
    return controller.signal;
  }

  /** Called with every newly adopted epoch and the one before it. */
  onAdopted(listener: (adopted: Adopted, previous: Adopted | undefined) => void): void {
    this.events.on('adopted', listener);
  }

  /** The adopted epoch, once there is one at least as new as `atLeast`; `NoEpochError` if `signal` ends the wait. */
  async ready(signal: AbortSignal, atLeast = 0): Promise<Adopted> {
    while (!this.adopted || this.adopted.epoch < atLeast) {
      if (signal.aborted) throw new NoEpochError(this.adopted ? `epoch ${atLeast} not adopted yet (${this.lastFailure})` : this.lastFailure);
      if (!this.running && this.wanted) void this.adoptWanted(); // an earlier attempt failed: try again
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.events.off('adopted', done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, 20);
        this.events.on('adopted', done);
        signal.addEventListener('abort', done, { once: true });
      });
    }
    return this.adopted;
  }

  /** One adoption at a time, always of the newest read. */
  private adoptWanted(): Promise<void> {
    this.running ??= (async () => {
      try {
        for (let wanted = this.wanted; wanted; wanted = this.wanted === wanted ? undefined : this.wanted) {
          await this.adopt(wanted.config, wanted.counter);
        }
      } catch (error) {
        this.lastFailure = (error as Error).message;
        this.logger.warn(`epoch not adopted, retried with the next request: ${this.lastFailure}`);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async adopt(config: RuntimeConfig, counter: number): Promise<void> {
    const generation = await this.generation();
    const previous = this.adopted;
    if (previous && previous.generation === generation) {
      // A counter never goes back inside a generation; a smaller one is a missing node's 0: keep ours.
      const unchanged = counter === previous.counter && JSON.stringify(config) === JSON.stringify(previous.config);
      if (counter < previous.counter || unchanged) return;
    }
    const epoch = await this.book.adopt(generation, counter);
    if (previous && epoch <= previous.epoch) return; // a slower read of an older state
    this.adopted = { config, epoch, generation, counter };
    for (const [older, controller] of this.supersession) {
      if (older >= epoch) continue;
      controller.abort();
      this.supersession.delete(older);
    }
    this.logger.log(`epoch ${epoch} (generation ${generation}, counter ${counter}): issuing with ${config.strategy}`);
    this.events.emit('adopted', this.adopted, previous);
  }

  /** The ZooKeeper generation's ID, written by whoever finds the node missing first. */
  private async generation(): Promise<string> {
    const api = this.session.api();
    try {
      const { data } = await api.getData(this.paths.generation);
      if (data && data.length > 0) return data.toString();
    } catch (error) {
      if (!isNoNode(error)) throw error;
    }
    await api.mkdirp(this.paths.root);
    try {
      await api.create(this.paths.generation, Buffer.from(randomUUID()), CreateMode.PERSISTENT);
    } catch (error) {
      if (!isNodeExists(error)) throw error; // another replica wrote it first: theirs stands
    }
    const { data } = await api.getData(this.paths.generation);
    return (data ?? Buffer.alloc(0)).toString();
  }
}
