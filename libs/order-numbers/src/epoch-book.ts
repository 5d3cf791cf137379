import Redis from 'ioredis';
import { adoptEpoch, asRedisUnavailable } from '@app/redis';
import { RetiredGenerationError } from './errors';

/**
 * The epochs of DESIGN §3, kept in Redis beside the fences they lead. An epoch is a ZooKeeper
 * generation's base plus a counter that grows inside that generation (the config node's mzxid):
 * the base of each new generation (ZooKeeper lost its data, its counters restarted) is set above
 * every epoch adopted before, so epochs never go back while Redis keeps its fences.
 */
export class EpochBook {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  /** The epoch of `counter` in `generation`; `RetiredGenerationError` once a newer generation exists. */
  async adopt(generation: string, counter: number): Promise<number> {
    const keys = [`${this.keyPrefix}epoch:floor`, `${this.keyPrefix}epoch:generation`, `${this.keyPrefix}epoch:retired`];
    let reply: unknown;
    try {
      reply = await adoptEpoch.run(this.redis, keys, [generation, counter]);
    } catch (error) {
      throw asRedisUnavailable(error, 'epoch adoption');
    }
    if (!Array.isArray(reply) || reply.length !== 2) throw new TypeError(`unexpected epoch reply ${JSON.stringify(reply)}`);
    if (reply[0] === 'retired') throw new RetiredGenerationError(generation);
    return Number(reply[1]);
  }
}
