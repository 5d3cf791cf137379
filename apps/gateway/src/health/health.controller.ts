import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ClusterHealth, GatewayHealth } from './cluster-health.service';

@Controller('health')
export class HealthController {
  constructor(private readonly health: ClusterHealth) {}

  /** 200 when up, 503 with the same body when down, so that probes and people read one document. */
  @Get()
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<GatewayHealth> {
    const health = await this.health.check();
    reply.status(health.status === 'up' ? 200 : 503);
    return health;
  }
}
