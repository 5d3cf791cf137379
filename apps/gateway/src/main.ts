import 'reflect-metadata';
import { InvalidConfigError } from '@app/config';
import { startGateway } from './bootstrap';
import { GatewayConfig, loadGatewayConfig } from '@app/contracts';

function readConfig(): GatewayConfig {
  try {
    return loadGatewayConfig();
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    console.error(`gateway: ${error.message}`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  await startGateway(config);
  console.log(`gateway listening on http://${config.HOST}:${config.GATEWAY_PORT} (LB_POLICY=${config.LB_POLICY})`);
}

main().catch((error: unknown) => {
  console.error('gateway failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
