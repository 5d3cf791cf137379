import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { JsonErrorsFastifyAdapter, JsonExceptionFilter } from '@app/http';
import { GatewayConfig } from '@app/contracts';
import { registerAdminAuth } from './auth/admin-auth.hook';
import { AdminToken } from './auth/admin-token';
import { GatewayModule } from './gateway.module';

/**
 * Starts the gateway on `config`. Shared by main.ts and the tests, so that the tests start the
 * very same thing (adapter, exception filter, shutdown hooks) as production.
 */
export async function startGateway(config: GatewayConfig, options: { silent?: boolean } = {}): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(config, options), new JsonErrorsFastifyAdapter(), {
    // Held until pino takes over, so that even the start-up lines are JSON.
    bufferLogs: !options.silent,
    logger: options.silent ? false : undefined,
  });
  if (!options.silent) app.useLogger(app.get(Logger));
  app.useGlobalFilters(new JsonExceptionFilter());
  // Before listen(): Nest registers the routes at init, and the hook must be in place for them.
  registerAdminAuth(app.getHttpAdapter().getInstance(), app.get(AdminToken));
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen(config.GATEWAY_PORT, config.HOST);
  return app;
}
