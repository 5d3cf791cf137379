import 'reflect-metadata';
import { LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { InvalidConfigError } from '@app/config';
import { GatewayConfig, loadGatewayConfig } from './config/gateway.config';
import { GatewayExceptionFilter } from './errors/gateway-exception.filter';
import { JsonErrorsFastifyAdapter } from '@app/http';
import { GatewayModule } from './gateway.module';

const LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

function readConfig(): GatewayConfig {
  try {
    return loadGatewayConfig();
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    console.error(`gateway: ${error.message}`);
    process.exit(2);
  }
}

async function bootstrap(): Promise<void> {
  const config = readConfig();
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(config), new JsonErrorsFastifyAdapter(), {
    logger: LEVELS.slice(0, LEVELS.indexOf(config.LOG_LEVEL) + 1),
  });
  app.useGlobalFilters(new GatewayExceptionFilter());
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen(config.GATEWAY_PORT, config.HOST);
  console.log(`gateway listening on http://${config.HOST}:${config.GATEWAY_PORT} (LB_POLICY=${config.LB_POLICY})`);
}

bootstrap().catch((error: unknown) => {
  console.error('gateway failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
