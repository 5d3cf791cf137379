import { runBenchCommand } from './bench-command';

// Exits explicitly: a client library that keeps a socket open must not keep a finished bench alive.
runBenchCommand(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
