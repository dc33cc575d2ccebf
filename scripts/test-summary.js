// Prints jest's totals from its JSON report as one plain closing line: "tests: N passed, N failed".
const report = require(require('path').resolve(process.argv[2]));
console.log(`tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
process.exit(report.success ? 0 : 1);
