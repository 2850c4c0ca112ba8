// Smoke test of the packaged extension as a user gets it: checks what the .vsix holds, installs it with the VS
// Code server's own `--install-extension` into the run's extensions folder, then runs test/integration/installed
// in the real extension host against that installed copy (the development copy is not loaded).
// Usage: node scripts/vscode-host/vsix-smoke.mjs [VSIX] [--timeout SECONDS] [--verbose]
// Needs `npm run package` (default VSIX: multichat-sessions.vsix) and `node scripts/vscode-host/install.mjs`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { workbenchUrl } from './browser.mjs';
import { bundleInstalledTests } from './bundleTests.mjs';
import { withHost } from './hostSession.mjs';
import { ROOT } from './paths.mjs';
import { elapsed } from './proc.mjs';
import { installExtension } from './server.mjs';
import { watchTestRun } from './testRun.mjs';
import { checkVsix } from './vsixCheck.mjs';

const EXTENSION_ID = 'multichat.multichat-sessions';

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: { timeout: { type: 'string', default: '180' }, verbose: { type: 'boolean', default: false } },
});

/**
 * The extension host runs `extensionTestsPath` only beside a development extension. This one carries the tests
 * and nothing else (no `main`), so Multichat itself is the installed copy, in production mode.
 */
function writeTestCarrier(sandbox) {
  const carrier = join(sandbox.root, 'test-carrier');
  mkdirSync(carrier);
  const manifest = { name: 'vsix-smoke-carrier', publisher: 'multichat-tests', version: '0.0.0', engines: { vscode: '^1.100.0' } };
  writeFileSync(join(carrier, 'package.json'), JSON.stringify(manifest, null, 2));
  return carrier;
}

async function main() {
  const started = Date.now();
  const vsix = resolve(positionals[0] ?? join(ROOT, 'multichat-sessions.vsix'));
  checkVsix(vsix);
  const testsEntry = await bundleInstalledTests();
  let carrier;
  const prepare = async (sandbox) => {
    console.log(`vsix: installed ${await installExtension(sandbox, vsix, EXTENSION_ID)} with the VS Code server's --install-extension`);
    carrier = writeTestCarrier(sandbox);
    mkdirSync(join(sandbox.workspace, '.multichat')); // what the extension's activation event looks for
  };
  const code = await withHost({ timeoutMs: Number(options.timeout) * 1000, prepare }, async ({ sandbox, port, page }) => {
    const run = await watchTestRun(page, sandbox, { verbose: options.verbose });
    await page.goto(workbenchUrl(port, { workspace: sandbox.workspace, extensionDevelopmentPath: carrier, extensionTestsPath: testsEntry }));
    return run.exitCode;
  });
  console.log(`vsix: smoke test of the installed copy exited with ${code} after ${elapsed(started)}`);
  process.exit(code);
}

main().catch((error) => {
  console.error(`vsix: ${options.verbose ? error.stack : error.message}`);
  process.exit(1);
});
