import { assertPortFree, PortInUseError } from '@app/provisioning';

/**
 * `size` consecutive free loopback ports, for launchCluster's base+i replica ports. Drawn below
 * Linux's ephemeral range (32768+), so the OS does not hand them to outgoing connections meanwhile,
 * and far from the demo's defaults (3000, 3101, 2181, 6379).
 */
export async function freePortBlock(size: number, attempts = 50): Promise<number> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * (12_000 - size));
    try {
      for (let port = base; port < base + size; port++) await assertPortFree(port, 'cluster test');
      return base;
    } catch (error) {
      if (!(error instanceof PortInUseError)) throw error;
    }
  }
  throw new Error(`no block of ${size} free ports found in ${attempts} attempts`);
}
