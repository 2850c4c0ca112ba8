// Runs every test file under test/ with Node's own test runner, TypeScript loaded through tsx.
// Node 20 does not expand globs itself, so the files are listed here. No test may run past 3 minutes:
// one that hangs (a server that never answers) fails instead of stalling the run.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

function findTests(directory) {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      // Integration suites need a VS Code extension host: scripts/vscode-host runs them.
      return entry.name === 'integration' ? [] : findTests(path);
    }
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const only = process.argv.slice(2);
const files = only.length > 0 ? only : findTests('test').sort();
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=180000', ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
