// `npm run test:electron`: the integration suites (test/integration) on desktop VS Code through
// @vscode/test-electron's runTests, for machines that can download VS Code (or have one: --vscode PATH).
// The suites that read the workbench DOM get their answers as in the server harness (bridge.mjs), here from
// the Electron window over the Chrome DevTools Protocol (--remote-debugging-port), with playwright-core.
// Where VS Code cannot be downloaded, it stops at once with one line: `npm test` and CI use the VS Code server
// harness (run-tests.mjs), which needs no download.
// Usage: node scripts/vscode-host/test-electron.mjs [--grep PATTERN] [--vscode PATH] [--verbose]
import { downloadAndUnzipVSCode, makeConsoleReporter, runTests } from '@vscode/test-electron';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { serveProbes } from './bridge.mjs';
import { bundleTests } from './bundleTests.mjs';
import { CACHE, ROOT } from './paths.mjs';
import { delay, elapsed } from './proc.mjs';
import { createSandbox, removeSandbox, writeWorkspaceFile } from './sandbox.mjs';
import { freePort } from './server.mjs';

const VSCODE_VERSION = '1.100.3'; // the VS Code of the server harness (code-server 4.100.3), so both test the same
const UPDATE_SERVER = 'https://update.code.visualstudio.com/api/releases/stable';
const FIXTURE = join(ROOT, 'test', 'fixtures', 'workspace');

const { values: options } = parseArgs({
  options: { grep: { type: 'string' }, vscode: { type: 'string' }, verbose: { type: 'boolean', default: false } },
});

/** One line and exit 1: what a machine without the download (or a display) gets, at once. */
function stop(reason) {
  console.error(`test:electron: ${reason}; \`npm run test:vscode\` runs the same suites on the VS Code server, with no download`);
  process.exit(1);
}

/** The cached desktop VS Code, else a download after a 5-second check that the update server answers. */
async function vscodeExecutable() {
  if (options.vscode) {
    return existsSync(options.vscode) ? options.vscode : stop(`no VS Code at ${options.vscode}`);
  }
  const cached = existsSync(CACHE) && readdirSync(CACHE).some((name) => name.startsWith('vscode-') && name.endsWith(`-${VSCODE_VERSION}`));
  if (!cached) {
    const reachable = await fetch(UPDATE_SERVER, { signal: AbortSignal.timeout(5000) }).then(
      (response) => {
        void response.body?.cancel();
        return response.ok ? '' : `it answered ${response.status}`;
      },
      (error) => String(error.cause?.code ?? error.cause?.message ?? error.message),
    );
    if (reachable) {
      stop(`cannot download VS Code ${VSCODE_VERSION}: ${new URL(UPDATE_SERVER).host} is unreachable (${reachable})`);
    }
  }
  const reporter = await makeConsoleReporter();
  return downloadAndUnzipVSCode({ version: VSCODE_VERSION, cachePath: CACHE, timeout: 15_000, reporter }).catch((error) =>
    stop(`could not download VS Code ${VSCODE_VERSION}: ${error.message}`),
  );
}

/** Connects to the Electron window once it opens and answers the tests' workbench probes from its DOM. */
function answerProbesOverCdp(port, bridge) {
  let page;
  let browser;
  let stopped = false;
  const probes = serveProbes(bridge, () => page);
  const connecting = (async () => {
    for (const deadline = Date.now() + 120_000; Date.now() < deadline && !page && !stopped; await delay(500)) {
      browser ??= await chromium.connectOverCDP(`http://127.0.0.1:${port}`).catch(() => undefined);
      page = browser?.contexts().flatMap((context) => context.pages()).find((each) => /workbench(\.esm)?\.html/.test(each.url()));
    }
    if (!page && !stopped) {
      console.error('test:electron: could not reach the VS Code window over CDP: the workbench probes will time out');
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      probes.stop();
      await connecting;
      await browser?.close().catch(() => undefined); // a CDP connection: disconnects, VS Code is already gone
    },
  };
}

function build() {
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    stop('the build failed');
  }
}

function needsDisplay() {
  return process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
}

async function main() {
  const started = Date.now();
  const vscodeExecutablePath = await vscodeExecutable();
  if (needsDisplay()) {
    stop('desktop VS Code needs a display (DISPLAY is not set): run it as `xvfb-run -a npm run test:electron`');
  }
  build();
  const extensionTestsPath = await bundleTests();
  const sandbox = createSandbox();
  const port = await freePort();
  const cdp = answerProbesOverCdp(port, sandbox.bridge);
  try {
    if (existsSync(FIXTURE)) {
      cpSync(FIXTURE, sandbox.workspace, { recursive: true });
    }
    const code = await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath,
      launchArgs: [writeWorkspaceFile(sandbox), `--user-data-dir=${sandbox.userData}`, `--extensions-dir=${sandbox.extensions}`, `--remote-debugging-port=${port}`],
      // HOME beside userData, as in the server harness: test/integration/helpers/extensionLog.ts finds the log there.
      extensionTestsEnv: { HOME: sandbox.home, TMPDIR: sandbox.tmp, VSCODE_HOST_BRIDGE: sandbox.bridge, ...(options.grep ? { VSCODE_HOST_GREP: options.grep } : {}) },
    }).catch((error) => error.code ?? 1);
    console.log(`test:electron: the extension tests exited with ${code} after ${elapsed(started)}`);
    return code;
  } finally {
    await cdp.stop();
    removeSandbox(sandbox);
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`test:electron: ${options.verbose ? error.stack : error.message}`);
    process.exit(1);
  },
);
