import { runBenchCommand } from './bench-command';
import { runFaultsCommand } from './faults/faults-command';

const [first, ...rest] = process.argv.slice(2);
// `faults` as the first word is `npm run faults`; anything else is the bench's own command line.
const command = first === 'faults' ? runFaultsCommand(rest) : runBenchCommand(process.argv.slice(2));

// Exits explicitly: a client library that keeps a socket open must not keep a finished run alive.
command.then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
