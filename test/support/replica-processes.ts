import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { NodeApp } from '@app/cluster';
import { freePorts, PortInUseError } from '@app/provisioning';
import { serviceDir } from './service-dirs';

export interface ReplicaProcess {
  id: string;
  url: string;
  app: NodeApp;
}

/**
 * Real order-service processes (compiled, `node scripts/run-app.js order-service`) against the
 * shared test servers: what "three replicas" means, as opposed to three apps in one process.
 * Call at describe level; every process started is stopped in afterAll.
 */
export function useReplicaProcesses(): (id: string, env: Record<string, string>, readyPath?: string) => Promise<ReplicaProcess> {
  const started: NodeApp[] = [];
  afterAll(async () => {
    await Promise.all(started.map((app) => app.stop(5000)));
  });
  // readyPath: what must answer 200 before the replica counts as started (`/status` for one expected unhealthy).
  return async (id, env, readyPath = '/health') => {
    NodeApp.assertBuilt('order-service');
    const logs = join(serviceDir(), 'logs');
    mkdirSync(logs, { recursive: true });
    // A port is free when chosen, not reserved: another test process may take it first. Then again, on other ports.
    for (let attempt = 1; ; attempt++) {
      try {
        return await launch(id, env, readyPath, logs);
      } catch (error) {
        if (!(error instanceof PortInUseError) || attempt === 3) throw error;
      }
    }
  };

  async function launch(id: string, env: Record<string, string>, readyPath: string, logs: string): Promise<ReplicaProcess> {
    const [httpPort, tcpPort] = await freePorts(2);
    const app = new NodeApp(id, 'order-service', join(logs, `${id}.log`), {
      ...process.env,
      ZK_CONNECT: requireVar('TEST_ZK_CONNECT'),
      REDIS_URL: requireVar('TEST_REDIS_URL'),
      DATABASE_URL: requireVar('TEST_DATABASE_URL'),
      REPLICA_ID: id,
      HTTP_PORT: String(httpPort),
      TCP_PORT: String(tcpPort),
      LOG_LEVEL: 'warn',
      ...env,
    });
    started.push(app);
    const url = `http://127.0.0.1:${httpPort}`;
    await app.start(`${url}${readyPath}`, httpPort, 30000);
    return { id, url, app };
  }
}

function requireVar(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run through jest's integration project`);
  return value;
}
