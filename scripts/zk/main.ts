import { InvalidConfigError } from '@app/config';
import { InvalidConnectStringError } from '@app/zookeeper';
import { parseZkCommand, ZkUsageError } from './zk-command';
import { runZk } from './zk-run';

// `npm run zk -- <verb> ...`: zkCli's verbs against the local cluster's ZooKeeper (or --server).
// Exit codes: 0 done, 1 ZooKeeper failed or refused, 2 bad command line or refused write.

async function main(): Promise<number> {
  return runZk(parseZkCommand(process.argv.slice(2)), { out: (text) => console.log(text), err: (text) => console.error(text) });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const usage = error instanceof ZkUsageError || error instanceof InvalidConfigError || error instanceof InvalidConnectStringError;
    console.error(
      `zk: ${error instanceof Error ? error.message : String(error)}${usage ? '\n(npm run zk -- --help shows the usage)' : ''}`,
    );
    process.exit(usage ? 2 : 1);
  },
);
