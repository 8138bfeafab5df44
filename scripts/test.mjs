#!/usr/bin/env node
// `npm test`: type check, lint, every vitest project; ends with one plain line
// `N passed, M failed` summing every runner used (the CI judge reads that line).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const results = [];
let passed = 0;
let failed = 0;

function run(label, cmd, args) {
  console.log(`\n▶ ${label}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  const ok = r.status === 0;
  results.push({ label, ok, ms: Date.now() - started });
  return ok;
}

// 1. Type check and lint count as one check each.
for (const [label, cmd, args] of [
  ['typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['lint', 'npx', ['eslint', '.', '--max-warnings=0']],
]) {
  if (run(label, cmd, args)) passed += 1;
  else failed += 1;
}

// 2. Vitest: every project; counts come from its JSON report.
const report = '.vitest-results.json';
rmSync(report, { force: true });
const vitestOk = run('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed += json.numPassedTests ?? 0;
  failed += json.numFailedTests ?? 0;
  // A suite that failed to load has no tests but must still count as a failure.
  const brokenSuites = (json.testResults ?? []).filter((s) => s.status === 'failed' && (s.assertionResults ?? []).length === 0).length;
  failed += brokenSuites;
  if (!vitestOk && (json.numFailedTests ?? 0) === 0 && brokenSuites === 0) failed += 1;
} else if (!vitestOk) {
  failed += 1;
}

// 3. Further runners (browser end-to-end) append here.

console.log('\n' + results.map((r) => `${r.ok ? '✓' : '✗'} ${r.label} (${(r.ms / 1000).toFixed(1)} s)`).join('\n'));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
