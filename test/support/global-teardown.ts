import { rmSync } from 'node:fs';
import { sharedServices } from './global-setup';

/** Stops the servers global-setup.ts started and removes their data. */
export default async function globalTeardown(): Promise<void> {
  const services = sharedServices();
  if (!services) return;
  await Promise.all([services.zookeeper?.stop(), services.redis?.stop(), services.mariadb?.stop()]);
  rmSync(services.dir, { recursive: true, force: true });
}
