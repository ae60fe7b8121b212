// Prints one closing line over every test run by scripts/test.sh ("tests: N passed, N failed, N skipped"), from the
// JSON reports Jest and Playwright wrote, and names every skipped test so that a skip is never silent.
import { existsSync, readFileSync } from 'node:fs';

const [jestReport, playwrightReport] = process.argv.slice(2);
let passed = 0;
let failed = 0;
const skipped = [];

if (jestReport && existsSync(jestReport)) {
  const jest = JSON.parse(readFileSync(jestReport, 'utf8'));
  passed += jest.numPassedTests;
  failed += jest.numFailedTests + jest.numRuntimeErrorTestSuites;
  for (const suite of jest.testResults) {
    for (const test of suite.assertionResults) {
      if (
        test.status === 'pending' ||
        test.status === 'skipped' ||
        test.status === 'todo'
      ) {
        skipped.push(test.fullName);
      }
    }
  }
}

if (playwrightReport && existsSync(playwrightReport)) {
  const { suites = [] } = JSON.parse(readFileSync(playwrightReport, 'utf8'));
  const visit = suite => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status === 'skipped') skipped.push(spec.title);
        else if (test.status === 'expected' || test.status === 'flaky')
          passed += 1;
        else failed += 1;
      }
    }
    (suite.suites ?? []).forEach(visit);
  };
  suites.forEach(visit);
}

for (const name of skipped) console.log(`skipped: ${name}`);
console.log(
  `tests: ${passed} passed, ${failed} failed, ${skipped.length} skipped`,
);
process.exitCode = failed ? 1 : 0;
