// Run by batched-stdout.spec.ts in a child process: writes what stdin says, exits on "exit".
import { createInterface } from 'node:readline';
import { batchedStdout } from './batched-stdout';

const stdout = batchedStdout();
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'exit') process.exit(0);
  stdout.write(`${line}\n`);
});
