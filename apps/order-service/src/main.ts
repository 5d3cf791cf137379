import 'reflect-metadata';
import { loadConfigOrExit } from '@app/config';
import { loadOrderServiceConfig } from '@app/contracts';
import { startOrderService } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfigOrExit('order-service', () => loadOrderServiceConfig());
  await startOrderService(config);
}

main().catch((error: Error) => {
  // An unreachable backend at start-up (or a port taken): say why and stop.
  console.error(`order-service failed to start: ${error.stack ?? error.message}`);
  process.exit(1);
});
