// Ends every jest run with the plain closing line CI tooling reads in any language:
// "N passed, N failed" (", N skipped" when some were skipped).
class PlainSummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`;
    process.stdout.write(`\n${line}\n`);
  }
}
module.exports = PlainSummaryReporter;
