import { join } from 'node:path';
import { loadOrderServiceConfig, readClusterState } from '@app/contracts';
import {
  formatZnodeStat,
  fourLetterWord,
  parseConnectString,
  READ_ONLY_FOUR_LETTER_WORDS,
  WriteOutsideRootError,
  ZnodeShell,
  ZookeeperOperationError,
  ZookeeperSession,
} from '@app/zookeeper';
import { operatorCredentials, REPO_ROOT } from '@app/cluster';
import { ZK_USAGE, ZkCommand, ZkUsageError, ZkVerb } from './zk-command';

export interface ZkOutput {
  out(text: string): void;
  err(text: string): void;
}

const SESSION_TIMEOUT_MS = 5000;
const WORD_TIMEOUT_MS = 2000;

/** zkCli's words for the answers an operator meets most. */
const ZKCLI_MESSAGES: Record<string, string> = {
  NO_NODE: 'Node does not exist',
  NODE_EXISTS: 'Node already exists',
  BAD_VERSION: 'version No is not valid',
  NOT_EMPTY: 'Node not empty',
  NO_CHILDREN_FOR_EPHEMERALS: 'Ephemerals cannot have children',
};

/** Where the server is: --server, ZK_CONNECT, the local cluster's state file, or the default. */
async function resolveServer(command: ZkCommand, env: NodeJS.ProcessEnv): Promise<{ connect: string; source: string }> {
  if (command.server !== undefined) return { connect: command.server, source: '--server' };
  if (env.ZK_CONNECT) return { connect: env.ZK_CONNECT, source: 'ZK_CONNECT' };
  const file = command.stateFile ?? join(REPO_ROOT, '.cluster', 'state.json');
  const state = await readClusterState(file);
  if (state) return { connect: state.zookeeper, source: file };
  if (command.stateFile !== undefined) throw new ZkUsageError(`--state-file ${file} does not exist`);
  return { connect: '127.0.0.1:2181', source: 'the default' };
}

/** Runs one verb and prints what zkCli would (or JSON); returns the exit code. */
export async function runZk(command: ZkCommand, io: ZkOutput, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { action } = command;
  if (action.verb === 'help') {
    io.out(ZK_USAGE);
    return 0;
  }
  const root = loadOrderServiceConfig({ ZK_ROOT: env.ZK_ROOT }).ZK_ROOT;
  const { connect, source } = await resolveServer(command, env);
  parseConnectString(connect); // a bad --server is a usage error, named, before any connection
  if (action.verb === '4lw') return fourLetterWords(connect, action.word, command, io);
  const credentials = operatorCredentials(env, command.stateFile ?? join(REPO_ROOT, '.cluster', 'state.json'));
  io.err(`ZooKeeper ${connect} (from ${source}), credentials: ${credentials.source}`);
  const session = await ZookeeperSession.open({
    connect,
    sessionTimeoutMs: SESSION_TIMEOUT_MS,
    connectTimeoutMs: SESSION_TIMEOUT_MS,
    auth: credentials.zkAuth,
  });
  try {
    const shell = new ZnodeShell(() => session.api(), root, command.force);
    const result = await run(shell, action);
    io.out(command.json ? JSON.stringify(result.json, null, 2) : result.text);
    return 0;
  } catch (error) {
    if (error instanceof WriteOutsideRootError) {
      io.err(error.message);
      return 2;
    }
    if (error instanceof ZookeeperOperationError) {
      io.err(`${ZKCLI_MESSAGES[error.codeName] ?? error.codeName}: ${error.path}`);
      if (command.json) io.out(JSON.stringify({ error: error.codeName, path: error.path }));
      return 1;
    }
    throw error;
  } finally {
    await session.close();
  }
}

type Printed = { text: string; json: unknown };

async function run(shell: ZnodeShell, action: Exclude<ZkVerb, { verb: 'help' } | { verb: '4lw' }>): Promise<Printed> {
  switch (action.verb) {
    case 'ls': {
      if (action.recursive) {
        const paths = await shell.lsRecursive(action.path);
        return { text: paths.join('\n'), json: paths };
      }
      const children = await shell.ls(action.path);
      return { text: `[${children.join(', ')}]`, json: children };
    }
    case 'stat': {
      const stat = await shell.stat(action.path);
      if (!action.withChildren) return { text: formatZnodeStat(stat), json: stat };
      const children = await shell.ls(action.path);
      return { text: `[${children.join(', ')}]\n${formatZnodeStat(stat)}`, json: { children, stat } };
    }
    case 'get': {
      const node = await shell.get(action.path);
      return { text: node.data ?? 'null', json: node };
    }
    case 'create': {
      const created = await shell.create(action.path, action.data, action);
      return { text: `Created ${created}`, json: { created } };
    }
    case 'set': {
      const stat = await shell.set(action.path, action.data, action.version);
      return { text: formatZnodeStat(stat), json: stat };
    }
    case 'delete':
      await shell.delete(action.path, action.version);
      return { text: '', json: { deleted: action.path } };
    case 'deleteall': {
      const deleted = await shell.deleteAll(action.path);
      return { text: '', json: { deleted: action.path, nodes: deleted } };
    }
  }
}

async function fourLetterWords(connect: string, word: string, command: ZkCommand, io: ZkOutput): Promise<number> {
  if (!(READ_ONLY_FOUR_LETTER_WORDS as readonly string[]).includes(word) && !command.force) {
    io.err(`'${word}' is not a read-only four-letter word (${READ_ONLY_FOUR_LETTER_WORDS.join(', ')}); add --force to send it anyway`);
    return 2;
  }
  type Reply = { server: string; reply: string } | { server: string; error: string };
  const replies = await Promise.all(
    parseConnectString(connect).map(async ({ host, port }): Promise<Reply> => {
      const server = `${host}:${port}`;
      try {
        return { server, reply: await fourLetterWord(host, port, word, WORD_TIMEOUT_MS) };
      } catch (error) {
        return { server, error: (error as Error).message };
      }
    }),
  );
  if (command.json) io.out(JSON.stringify(replies, null, 2));
  else io.out(replies.map((r) => `--- ${r.server}\n${'reply' in r ? r.reply.trimEnd() : `ERROR ${r.error}`}`).join('\n'));
  return replies.some((r) => 'error' in r) ? 1 : 0;
}
