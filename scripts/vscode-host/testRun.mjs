// Listens to the hooks the workbench calls when it runs extension tests (the ones @vscode/test-web uses):
// codeAutomationLog carries the workbench's log and the extension host's console, codeAutomationExit the
// test runner's exit code. Only lines from the test entry's start line on are printed: the workbench's own
// start-up log (sockets, gallery lookups) is noise, shown only with --verbose or when the tests never started.
// Meanwhile it answers the tests' workbench probes (bridge.mjs).
import { format } from 'node:util';
import { serveProbes } from './bridge.mjs';

const START_LINE = '[vscode-host] running integration tests'; // printed by test/integration/index.ts
/** Workbench chatter that also arrives while tests run (the gallery is disabled on purpose, see server.mjs). */
const NOISE = [/^Ignoring fetching additional builtin extensions/, /^Updating additional builtin extensions cache/];

export async function watchTestRun(page, sandbox, { verbose = false } = {}) {
  let started = false;
  const startupLog = [];
  let resolveExit;
  const exitCode = new Promise((resolvePromise) => (resolveExit = resolvePromise));
  const probes = serveProbes(sandbox.bridge, () => page);
  void exitCode.then(() => probes.stop());
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = format(...args);
    started ||= text === START_LINE;
    if ((started && !NOISE.some((pattern) => pattern.test(text))) || verbose) {
      (type === 'error' ? process.stderr : process.stdout).write(`${text}\n`);
    } else if (!started) {
      startupLog.push(`[${type}] ${text}`);
    }
  });
  await page.exposeFunction('codeAutomationExit', (code) => {
    if (!started && !verbose) {
      console.error(`vscode-host: the test entry never started; the workbench log:\n${startupLog.join('\n')}`);
    }
    resolveExit(Number.isInteger(code) ? code : 1);
  });
  return { exitCode };
}
