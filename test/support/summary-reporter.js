// Prints the run's plain closing line ("N passed, N failed, N skipped") as the very last line, so
// that any tool reading the end of a test run understands it. Jest's own summary is printed after
// custom reporters have run, so the line is written when the process exits.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped`;
    process.once('exit', () => process.stderr.write(`\n${line}\n`));
  }
}
module.exports = SummaryReporter;
