/** A cluster a command started, or is starting. */
export interface Stoppable {
  stop(): Promise<unknown>;
}

/**
 * A cluster a command started must not outlive it: on Ctrl-C (or SIGTERM) this stops the one
 * `current()` names, once it has finished starting if it is still starting, then exits 130.
 * Returns what removes the handlers once the command is done.
 */
export function stopOnInterrupt(command: string, current: () => Stoppable | Promise<Stoppable> | undefined): () => void {
  const interrupt = (signal: NodeJS.Signals): void => {
    const target = current();
    process.stderr.write(`\n${command}: ${signal}, stopping${target ? ' the cluster' : ''}...\n`);
    Promise.resolve(target)
      .then((cluster) => cluster?.stop())
      .then(
        () => process.exit(130),
        (error: unknown) => {
          process.stderr.write(`${command}: stopping the cluster failed: ${error instanceof Error ? error.message : String(error)}\n`);
          process.exit(130);
        },
      );
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  return () => {
    process.removeListener('SIGINT', interrupt);
    process.removeListener('SIGTERM', interrupt);
  };
}
