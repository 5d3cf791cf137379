// Prints the run's plain closing line ("N passed, N failed, N skipped") after Jest's own summary,
// so that any tool reading the last line of a test run understands it.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`\n${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`);
  }
}
module.exports = SummaryReporter;
