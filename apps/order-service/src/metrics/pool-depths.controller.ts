import { Controller, Get, Inject } from '@nestjs/common';
import Redis from 'ioredis';
import { poolKey } from '@app/order-numbers';
import { asRedisUnavailable } from '@app/redis';
import { OrderServiceConfig } from '@app/contracts';
import { ConfigCenter } from '../config/config-center.service';
import { ORDER_SERVICE_CONFIG } from '../config/config.tokens';

/** `GET /status/pools`: how many pre-generated numbers wait per business line (the console shows it). */
@Controller('status/pools')
export class PoolDepthsController {
  constructor(
    @Inject(ORDER_SERVICE_CONFIG) private readonly config: OrderServiceConfig,
    @Inject(Redis) private readonly redis: Redis,
    private readonly configCenter: ConfigCenter,
  ) {}

  @Get()
  async depths(): Promise<{ pools: Record<string, number> }> {
    const lines = this.configCenter.get().businessLines;
    const pipeline = this.redis.pipeline();
    for (const businessId of lines) pipeline.llen(poolKey(this.config.REDIS_PREFIX, businessId));
    let replies: [Error | null, unknown][] | null;
    try {
      replies = await pipeline.exec();
    } catch (error) {
      throw asRedisUnavailable(error, 'LLEN of the pools');
    }
    const failed = replies?.find(([error]) => error !== null)?.[0];
    if (failed) throw asRedisUnavailable(failed, 'LLEN of the pools');
    return { pools: Object.fromEntries(lines.map((businessId, index) => [String(businessId).padStart(4, '0'), Number(replies?.[index]?.[1] ?? 0)])) };
  }
}
