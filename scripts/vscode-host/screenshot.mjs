// Opens the workbench with the extension loaded (no tests) and saves a screenshot once the extension shows up.
// Usage: node scripts/vscode-host/screenshot.mjs OUT.png [--workspace DIR] [--wait-for CSS] [--timeout SECONDS]
// The workspace is a throwaway copy of DIR (default: an empty folder with .multichat/, which activates the extension).
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { workbenchUrl } from './browser.mjs';
import { requireBuiltExtension } from './extensionDir.mjs';
import { withHost } from './hostSession.mjs';
import { ROOT } from './paths.mjs';
import { delay, elapsed } from './proc.mjs';

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    workspace: { type: 'string' },
    'wait-for': { type: 'string', default: '[id="multichat.multichat-sessions.multichat.status"]' },
    timeout: { type: 'string', default: '120' },
    'extension-dir': { type: 'string', default: ROOT },
    verbose: { type: 'boolean', default: false },
  },
});

function prepareWorkspace(sandbox) {
  if (options.workspace) {
    cpSync(resolve(options.workspace), sandbox.workspace, { recursive: true });
  } else {
    mkdirSync(join(sandbox.workspace, '.multichat'));
  }
}

async function main() {
  const [out] = positionals;
  if (!out) {
    throw new Error('usage: screenshot.mjs OUT.png [--workspace DIR] [--wait-for CSS] [--timeout SECONDS]');
  }
  const started = Date.now();
  const extensionDir = requireBuiltExtension(options['extension-dir']);
  const hostOptions = { timeoutMs: Number(options.timeout) * 1000, prepare: prepareWorkspace };
  await withHost(hostOptions, async ({ sandbox, port, page }) => {
    await page.goto(workbenchUrl(port, { workspace: sandbox.workspace, extensionDevelopmentPath: extensionDir }));
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    await page.waitForSelector(options['wait-for'], { state: 'visible', timeout: 60_000 });
    await delay(1000); // let late layout and fonts settle
    mkdirSync(dirname(resolve(out)), { recursive: true });
    await page.screenshot({ path: resolve(out) });
  });
  console.log(`vscode-host: screenshot saved to ${out} after ${elapsed(started)}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`vscode-host: ${options.verbose ? error.stack : error.message}`);
    process.exit(1);
  },
);
