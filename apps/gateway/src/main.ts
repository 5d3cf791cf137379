import 'reflect-metadata';
import { loadConfigOrExit } from '@app/config';
import { loadGatewayConfig } from '@app/contracts';
import { startGateway } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfigOrExit('gateway', () => loadGatewayConfig());
  await startGateway(config);
  console.log(`gateway listening on http://${config.HOST}:${config.GATEWAY_PORT} (LB_POLICY=${config.LB_POLICY})`);
}

main().catch((error: unknown) => {
  // An unreachable ZooKeeper at start-up (or a port taken): say why and stop.
  console.error('gateway failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
