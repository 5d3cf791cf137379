import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { RegistrationService } from './cluster/registration.service';
import { OrderServiceConfig } from '@app/contracts';
import { CorkedJsonSocket, JsonErrorsFastifyAdapter, JsonExceptionFilter } from '@app/http';
import { OrderServiceModule } from './order-service.module';

/**
 * Starts one replica: HTTP (Fastify) and the gateway's TCP endpoint, and registers it only once
 * both listen. Shared by main.ts and the end-to-end tests, so they start the very same thing.
 */
export async function startOrderService(config: OrderServiceConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    OrderServiceModule.forConfig(config),
    new JsonErrorsFastifyAdapter({ bodyLimit: 16 * 1024 }),
    // Held until pino takes over, so that even the start-up lines are JSON.
    { bufferLogs: true },
  );
  app.useLogger(app.get(PinoNestLogger));
  app.useGlobalFilters(new JsonExceptionFilter());
  // Not Nest's default list: it includes SIGUSR2, which arms the injected pause (DESIGN §3).
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  app.connectMicroservice<MicroserviceOptions>({
    transport: Transport.TCP,
    options: { host: config.HOST, port: config.TCP_PORT, socketClass: CorkedJsonSocket },
  });
  await app.startAllMicroservices();
  await app.listen(config.HTTP_PORT, config.HOST);
  await app.get(RegistrationService).register();
  new Logger('OrderService').log(
    `serving HTTP ${config.HOST}:${config.HTTP_PORT}, TCP ${config.TCP_PORT}, strategy ${config.ORDER_STRATEGY} (until the config center says otherwise)`,
  );
  return app;
}
