// Prints one closing line for the whole test run, "N passed, N failed", from the JSON reports
// every package's vitest writes to test-results/vitest.json (see each package's `test` script).

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const listed = execFileSync(
  'git',
  ['ls-files', '--cached', '--others', '--exclude-standard', '*package.json'],
  {
    encoding: 'utf8',
  },
);
let passed = 0;
let failed = 0;
let skipped = 0;
for (const manifest of listed.split('\n').filter(Boolean)) {
  const report = manifest.replace(/package\.json$/, 'test-results/vitest.json');
  if (!existsSync(report)) continue;
  const result = JSON.parse(readFileSync(report, 'utf8'));
  passed += result.numPassedTests;
  failed += result.numFailedTests;
  skipped += result.numPendingTests + result.numTodoTests;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
