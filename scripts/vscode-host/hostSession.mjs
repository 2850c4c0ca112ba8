// One run of the VS Code host: sandbox, server, browser. Guarantees cleanup (process group killed, temp dirs
// removed) on success, failure, timeout and signals, and bounds the whole run with a timeout.
import { existsSync, readFileSync } from 'node:fs';
import { killBrowser, launchBrowser } from './browser.mjs';
import { delay } from './proc.mjs';
import { requireRunPackages } from './prereqs.mjs';
import { isInstalled } from './installChecks.mjs';
import { createSandbox, removeSandbox } from './sandbox.mjs';
import { freePort, killGroup, startServer, stopGroup, waitForServer } from './server.mjs';

const SIGNAL_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
export const TIMEOUT_EXIT = 124;

/**
 * Runs `body({ sandbox, port, page })` and resolves with its exit code. On timeout or signal the process
 * exits from here, after cleaning up. `settings` become the workspace's .vscode/settings.json; `env` reaches
 * the extension host through the server's environment. `server` says how the server runs: a test opts in to the
 * test-only flags it needs (server.mjs TEST_ONLY_FLAGS; none by default, as in the product). `startServer`
 * replaces the harness's start altogether, e.g. with the product's own (productServer.mjs), env and all.
 */
export async function withHost({ settings, userSettings, env, timeoutMs, prepare, server = { testOnlyFlags: [] }, startServer: start }, body) {
  if (!isInstalled()) {
    throw new Error('the VS Code server is not installed: run `node scripts/vscode-host/install.mjs` first');
  }
  requireRunPackages();
  const sandbox = createSandbox({ settings, userSettings });
  const state = { sandbox, server: undefined, context: undefined, cleaned: false, aborting: false, cleanup: undefined };
  const exitCleanup = () => cleanupSync(state); // last resort if anything calls process.exit
  process.on('exit', exitCleanup);
  const stopOnSignal = Object.keys(SIGNAL_CODES).map((signal) => [signal, () => abort(state, `interrupted by ${signal}`, SIGNAL_CODES[signal])]);
  stopOnSignal.forEach(([signal, handler]) => process.on(signal, handler));
  const timer = setTimeout(() => abort(state, `timed out after ${timeoutMs / 1000}s`, TIMEOUT_EXIT), timeoutMs);
  try {
    await prepare?.(sandbox);
    const port = await freePort();
    const hostEnv = { ...env, VSCODE_HOST_BRIDGE: sandbox.bridge, VSCODE_HOST_EXTENSIONS_DIR: sandbox.extensions };
    state.server = start ? start(sandbox, port) : startServer(sandbox, port, { ...server, env: hostEnv });
    await waitForServer(port, state.server);
    const { context, page } = await launchBrowser(sandbox.browser);
    state.context = context;
    return await Promise.race([body({ sandbox, port, page }), failureOf(state.server, page)]);
  } catch (error) {
    if (state.aborting) {
      await new Promise(() => {}); // abort() owns the exit code and exits once cleanup is done
    }
    printServerLog(sandbox);
    throw error;
  } finally {
    clearTimeout(timer);
    await cleanup(state);
    stopOnSignal.forEach(([signal, handler]) => process.off(signal, handler));
    process.off('exit', exitCleanup);
  }
}

/** Rejects when the server or the page dies, so a crash fails the run now instead of at the timeout. */
function failureOf(server, page) {
  return new Promise((_, reject) => {
    server.once('exit', (code, signal) => reject(new Error(`the VS Code server exited unexpectedly (${signal ?? code})`)));
    page.once('crash', () => reject(new Error('the browser page crashed')));
  });
}

async function abort(state, reason, code) {
  if (state.aborting) {
    return;
  }
  state.aborting = true;
  console.error(`\nvscode-host: ${reason}; stopping the server and browser`);
  printServerLog(state.sandbox);
  await cleanup(state);
  process.exit(code);
}

/** Memoized: abort() and the normal path may both ask for it. */
function cleanup(state) {
  state.cleanup ??= closeAll(state);
  return state.cleanup;
}

async function closeAll(state) {
  const closed = state.context?.close().then(() => true, () => true) ?? true;
  if (!(await Promise.race([closed, delay(10_000).then(() => false)]))) {
    // Still shutting down: kill it rather than let it write into the folder about to be removed.
    killBrowser(state.sandbox.browser);
    await Promise.race([closed, delay(2000)]);
  }
  if (state.server) {
    await stopGroup(state.server);
  }
  cleanupSync(state);
}

function cleanupSync(state) {
  if (state.cleaned) {
    return;
  }
  state.cleaned = true;
  if (state.server) {
    killGroup(state.server);
  }
  if (state.context) {
    killBrowser(state.sandbox.browser); // no-op once the browser closed (its lock is gone)
  }
  try {
    removeSandbox(state.sandbox);
  } catch (error) {
    console.error(`vscode-host: could not remove ${state.sandbox.root}: ${error.message}`);
  }
}

/** The server's log explains most failures (port, native module, extension host crash); shown on failure only. */
function printServerLog(sandbox, lines = 40) {
  if (existsSync(sandbox.serverLog)) {
    const tail = readFileSync(sandbox.serverLog, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    console.error(`--- last ${lines} lines of the VS Code server log ---\n${tail}\n---`);
  }
}
