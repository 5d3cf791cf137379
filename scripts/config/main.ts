import { join, resolve } from 'node:path';
import { operatorCredentials, REPO_ROOT } from '@app/cluster';
import { ConfigNode, ConfigUsageError, resolveTarget } from '@app/config-center';
import { ClusterState, readClusterStateSync, RuntimeConfig } from '@app/contracts';
import { ZookeeperSession } from '@app/zookeeper';
import { ConfigAction, parseCommand, USAGE } from './config-command';

// `npm run config -- get | set KEY VALUE... | set --raw TEXT | reset`: the operator's side of the
// config center (DESIGN §4). Exit codes: 0 done, 1 ZooKeeper failed or no node, 2 bad input.

const SESSION_TIMEOUT_MS = 5000;

function stateFileOf(stateFile: string | undefined): string {
  return stateFile === undefined ? join(REPO_ROOT, '.cluster', 'state.json') : resolve(stateFile);
}

/** The local cluster's ZooKeeper, when `npm run cluster` is running (its state file exists). */
function clusterZookeeper(stateFile: string | undefined): string | undefined {
  const file = stateFileOf(stateFile);
  let state: ClusterState | undefined;
  try {
    state = readClusterStateSync(file);
  } catch (error) {
    throw new ConfigUsageError(`${(error as Error).message}; pass --zk host:port`);
  }
  if (state === undefined && stateFile !== undefined) throw new ConfigUsageError(`--state-file ${file} does not exist`);
  return state?.zookeeper;
}

async function run(action: Exclude<ConfigAction, { kind: 'help' }>, node: ConfigNode, seed: RuntimeConfig): Promise<number> {
  switch (action.kind) {
    case 'get': {
      const value = await node.read();
      if (value === null) {
        console.error(`${node.path} does not exist: a replica seeds it from its environment on start, or run 'set'/'reset'`);
        return 1;
      }
      console.log(`${node.path} version ${value.version}`);
      console.log(prettyJson(value.data));
      if (value.refusal) console.error(`REFUSED by the replicas (they keep their last good config): ${value.refusal}`);
      return 0;
    }
    case 'set': {
      const written = await node.update(action.patch, seed);
      console.log(
        `${node.path} ${written.created ? 'created, then ' : ''}version ${written.version}:\n${JSON.stringify(written.config, null, 2)}`,
      );
      return 0;
    }
    case 'reset': {
      const written = await node.replace(seed);
      console.log(`${node.path} version ${written.version} (environment defaults):\n${JSON.stringify(seed, null, 2)}`);
      return 0;
    }
    case 'raw': {
      const written = await node.writeRaw(action.data);
      const check = await node.read();
      console.log(`${node.path} version ${written.version}: wrote ${action.data.length} bytes UNVALIDATED`);
      if (check?.refusal) console.error(`the replicas will REFUSE it and keep their last good config: ${check.refusal}`);
      return 0;
    }
  }
}

function prettyJson(data: Buffer): string {
  try {
    return JSON.stringify(JSON.parse(data.toString('utf8')), null, 2);
  } catch {
    return data.toString('utf8'); // not JSON: shown as it is; the refusal follows
  }
}

async function main(): Promise<number> {
  const command = parseCommand(process.argv.slice(2));
  if (command.action.kind === 'help') {
    console.log(USAGE);
    return 0;
  }
  const target = resolveTarget(command.zk, process.env, command.zk === undefined ? clusterZookeeper(command.stateFile) : undefined);
  const credentials = operatorCredentials(process.env, stateFileOf(command.stateFile));
  console.error(`ZooKeeper ${target.zookeeper} (from ${target.source}), credentials: ${credentials.source}`);
  const session = await ZookeeperSession.open({
    connect: target.zookeeper,
    auth: credentials.zkAuth,
    sessionTimeoutMs: SESSION_TIMEOUT_MS,
    connectTimeoutMs: SESSION_TIMEOUT_MS,
  });
  try {
    return await run(command.action, new ConfigNode(session, target.path), target.seed);
  } finally {
    await session.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const usage = error instanceof ConfigUsageError;
    console.error(
      `config: ${error instanceof Error ? error.message : String(error)}${usage ? '\n(npm run config -- --help shows the usage)' : ''}`,
    );
    process.exit(usage ? 2 : 1);
  },
);
