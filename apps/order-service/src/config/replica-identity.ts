import { hostname } from 'node:os';
import { OrderServiceConfig } from '@app/contracts';

/** Who this replica is and where others reach it: the registry entry's content. */
export interface ReplicaIdentity {
  id: string;
  host: string;
  httpPort: number;
  tcpPort: number;
  pid: number;
}

export const REPLICA_IDENTITY = Symbol('REPLICA_IDENTITY');

export function replicaIdentity(config: OrderServiceConfig): ReplicaIdentity {
  // Bound to every interface (containers): others reach us by host name, which Docker and k8s resolve.
  const host = config.ADVERTISE_HOST ?? (config.HOST === '0.0.0.0' ? hostname() : config.HOST);
  return {
    id: config.REPLICA_ID ?? `${hostname()}-${process.pid}`,
    host,
    httpPort: config.HTTP_PORT,
    tcpPort: config.TCP_PORT,
    pid: process.pid,
  };
}
