import 'reflect-metadata';
import { InvalidConfigError } from '@app/config';
import { startOrderService } from './bootstrap';
import { loadOrderServiceConfig } from '@app/contracts';

async function main(): Promise<void> {
  const config = loadOrderServiceConfig();
  await startOrderService(config);
}

main().catch((error: Error) => {
  // Invalid configuration or an unreachable backend at start-up: say why and stop.
  console.error(error instanceof InvalidConfigError ? error.message : `order-service failed to start: ${error.stack ?? error.message}`);
  process.exit(1);
});
