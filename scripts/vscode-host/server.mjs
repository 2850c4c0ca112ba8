// Starts the VS Code server on a free loopback port in its own process group, and kills that whole group
// (server, extension host, pty host, file watcher) when done.
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { SERVER_MAIN } from './paths.mjs';
import { delay, run } from './proc.mjs';

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
    probe.on('error', reject);
  });
}

/**
 * Flags that only a test may give the server. `--enable-smoke-test-driver` makes the workbench refuse every dialog
 * ("DialogService: refused to show dialog in tests"): the product (`npm start`) must never have it. No harness needs
 * it either: VS Code already refuses dialogs in an extension test run (extensionTestsPath set), and the UI tests
 * drive the real dialogs.
 */
export const TEST_ONLY_FLAGS = Object.freeze(['--enable-smoke-test-driver']);

/**
 * The server's command line. `testOnlyFlags` is an explicit choice: the product passes none, a test opts in to
 * what it needs (each one of TEST_ONLY_FLAGS).
 */
export function serverArguments(sandbox, port, { testOnlyFlags }) {
  if (!Array.isArray(testOnlyFlags)) {
    throw new Error('startServer: say which test-only flags the server gets (testOnlyFlags: [] for the product)');
  }
  const unknown = testOnlyFlags.filter((flag) => !TEST_ONLY_FLAGS.includes(flag));
  if (unknown.length > 0) {
    throw new Error(`startServer: not a test-only flag: ${unknown.join(' ')}`);
  }
  return [SERVER_MAIN, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token',
    '--accept-server-license-terms', ...testOnlyFlags, '--disable-telemetry', '--disable-workspace-trust',
    '--user-data-dir', sandbox.userData, '--server-data-dir', sandbox.serverData, '--extensions-dir', sandbox.extensions];
}

/** `env` is added to the server's environment, which the extension host inherits. */
export function startServer(sandbox, port, { testOnlyFlags, env = {} }) {
  const args = serverArguments(sandbox, port, { testOnlyFlags });
  const log = openSync(sandbox.serverLog, 'a');
  return spawn(process.execPath, args, {
    detached: true, // own process group: one kill reaches every descendant
    stdio: ['ignore', log, log],
    // An empty gallery: no extension marketplace lookups (open-vsx.org is unreachable and only adds noise).
    env: { ...cleanEnv(), EXTENSIONS_GALLERY: '{}', ...env, HOME: sandbox.home, TMPDIR: sandbox.tmp },
  });
}

/**
 * Installs a .vsix into the sandbox's extensions folder with the server's own CLI (`--install-extension`), as a
 * user of a remote or web VS Code would, and checks that the server then lists it. Resolves with `id@version`.
 */
export async function installExtension(sandbox, vsix, expectedId) {
  const dirs = ['--extensions-dir', sandbox.extensions, '--user-data-dir', sandbox.userData, '--server-data-dir', sandbox.serverData];
  const options = { env: { ...cleanEnv(), HOME: sandbox.home, TMPDIR: sandbox.tmp }, quiet: true };
  const cli = (args) => run(process.execPath, [SERVER_MAIN, ...args, ...dirs, '--accept-server-license-terms'], options);
  const installed = await cli(['--install-extension', vsix]).catch((error) => {
    throw new Error(`the VS Code server could not install ${vsix}: ${error.output?.trim() || error.message}`);
  });
  const listed = (await cli(['--list-extensions', '--show-versions'])).split('\n').find((line) => line.startsWith(`${expectedId}@`));
  if (!listed) {
    throw new Error(`the VS Code server does not list ${expectedId} after installing it (it said: ${installed.trim()})`);
  }
  return listed.trim();
}

/** Drops VSCODE_* and ELECTRON_* variables, set when this runs from a VS Code terminal, which would confuse the server. */
function cleanEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(VSCODE|ELECTRON)_/.test(name)));
}

export async function waitForServer(port, server, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) {
      throw new Error(`the VS Code server exited early (code ${server.exitCode})`);
    }
    if (await answers(`http://127.0.0.1:${port}/version`)) {
      return;
    }
    await delay(250);
  }
  throw new Error(`the VS Code server did not answer on port ${port} within ${timeoutMs / 1000}s`);
}

function answers(url) {
  return new Promise((resolveAnswer) => {
    const request = get(url, (response) => {
      response.resume();
      resolveAnswer(response.statusCode === 200);
    });
    request.on('error', () => resolveAnswer(false));
    request.setTimeout(2000, () => request.destroy());
  });
}

/** Synchronous so it can run from an 'exit' handler: SIGKILL to the whole group. */
export function killGroup(server) {
  try {
    process.kill(-server.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Polite first: SIGTERM lets the server stop its children; SIGKILL after a grace period. */
export async function stopGroup(server, graceMs = 3000) {
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    return;
  }
  const exited = new Promise((resolveExit) => (server.exitCode !== null ? resolveExit() : server.once('exit', resolveExit)));
  await Promise.race([exited, delay(graceMs)]);
  killGroup(server);
}
