import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfigOrExit } from '@app/config';
import { loadGatewayConfig } from '@app/contracts';
import { startGateway } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfigOrExit('gateway', () => loadGatewayConfig());
  await startGateway(config);
  const logger = new Logger('Gateway');
  logger.log(`gateway listening on http://${config.HOST}:${config.GATEWAY_PORT} (LB_POLICY=${config.LB_POLICY})`);
  // Loud on purpose: an open gateway must not pass for a protected one.
  if (config.ADMIN_TOKEN === undefined) logger.warn('ADMIN_TOKEN is not set: operator writes and reads are OPEN to anyone who reaches this port');
}

main().catch((error: unknown) => {
  // An unreachable ZooKeeper at start-up (or a port taken): say why and stop.
  console.error('gateway failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
