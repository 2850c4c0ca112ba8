// Runs the integration tests (test/integration) inside a real VS Code extension host and exits with mocha's code.
// Usage: node scripts/vscode-host/run-tests.mjs [--grep PATTERN] [--timeout SECONDS] [--extension-dir DIR] [--skip-bundle] [--verbose]
// Needs `npm run build` (the extension bundle) and `node scripts/vscode-host/install.mjs` first.
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { workbenchUrl } from './browser.mjs';
import { bundleTests } from './bundleTests.mjs';
import { requireBuiltExtension } from './extensionDir.mjs';
import { withHost } from './hostSession.mjs';
import { ROOT, TESTS_OUT } from './paths.mjs';
import { elapsed } from './proc.mjs';
import { writeWorkspaceFile } from './sandbox.mjs';
import { watchTestRun } from './testRun.mjs';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'workspace');

const { values: options } = parseArgs({
  options: {
    grep: { type: 'string' },
    timeout: { type: 'string', default: '300' },
    'extension-dir': { type: 'string', default: ROOT },
    'skip-bundle': { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});

async function main() {
  const started = Date.now();
  const extensionDir = requireBuiltExtension(options['extension-dir']);
  const testsEntry = options['skip-bundle'] ? join(TESTS_OUT, 'index.js') : await bundleTests();
  const hostOptions = {
    timeoutMs: Number(options.timeout) * 1000,
    env: options.grep ? { VSCODE_HOST_GREP: options.grep } : {},
    prepare: (sandbox) => existsSync(FIXTURE) && cpSync(FIXTURE, sandbox.workspace, { recursive: true }),
  };
  const code = await withHost(hostOptions, async ({ sandbox, port, page }) => {
    const run = await watchTestRun(page, sandbox, { verbose: options.verbose });
    await page.goto(workbenchUrl(port, { workspace: writeWorkspaceFile(sandbox), extensionDevelopmentPath: extensionDir, extensionTestsPath: testsEntry }));
    return run.exitCode;
  });
  console.log(`vscode-host: extension tests exited with ${code} after ${elapsed(started)}`);
  process.exit(code);
}

main().catch((error) => {
  console.error(`vscode-host: ${options.verbose ? error.stack : error.message}`);
  process.exit(1);
});
