// Named, timed steps for a UI run, and what a failure leaves behind for the person reading the output:
// a screenshot outside the run's temp folder (which is removed), the extension's log and the browser's errors.
// (The server log tail is printed by hostSession.mjs when the run throws.)
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { firstLine } from './workbenchUi.mjs';

/** What the web workbench always logs here (no manifest, no service worker script, no vsda): not news. */
const BROWSER_NOISE = [/Failed to load resource: .* 404/, /Manifest fetch from/, /\(404\) was received when fetching the script/, /ServiceWorker/];

/** `step(name, body)` runs and times one step; `run(body, limitMs)` runs them all, reporting a failure once. */
export function createStepRunner(page, sandbox, { prefix = 'ui-test' } = {}) {
  const started = Date.now();
  const timings = [];
  const browserErrors = [];
  page.on('pageerror', (error) => browserErrors.push(`[pageerror] ${firstLine(error)}`));
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' && !BROWSER_NOISE.some((pattern) => pattern.test(text))) {
      browserErrors.push(`[console] ${text.slice(0, 300)}`);
    }
  });

  let current;
  let abandoned = false; // set when the time limit stops the run: the stuck step's own failure comes later

  async function step(name, body) {
    const stepStarted = Date.now();
    current = name;
    process.stdout.write(`${prefix}: ${name} … `);
    try {
      const result = await body();
      const ms = Date.now() - stepStarted;
      timings.push({ name, ms });
      process.stdout.write(`ok (${seconds(ms)})\n`);
      return result;
    } catch (error) {
      if (!abandoned) {
        process.stdout.write(`FAILED after ${seconds(Date.now() - stepStarted)}\n`);
      }
      error.step ??= name;
      throw error;
    }
  }

  /** Runs `body`, failing it (with artifacts) if it outlives `limitMs`. */
  async function run(body, limitMs) {
    let timer;
    const limit = new Promise((_, reject) => {
      timer = setTimeout(() => {
        const error = new Error(`the UI test did not finish within ${seconds(limitMs)}`);
        reject(Object.assign(error, { step: current, timedOut: true }));
      }, limitMs);
    });
    const work = body();
    work.catch(() => undefined); // if the limit wins, the abandoned steps fail later, as the browser closes
    try {
      return await Promise.race([work, limit]);
    } catch (error) {
      abandoned = true;
      if (error.timedOut) {
        process.stdout.write('\n');
      }
      await reportFailure(error);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async function reportFailure(error) {
    const shot = join(tmpdir(), `${prefix}-failure-${new Date().toISOString().replace(/[:.]/g, '-')}.png`);
    const saved = await page.screenshot({ path: shot, timeout: 10_000 }).then(() => true, () => false);
    console.error(`\n${prefix}: FAILED${error.step ? ` at "${error.step}"` : ''}: ${error.message}`);
    console.error(saved ? `${prefix}: screenshot of the failure: ${shot}` : `${prefix}: (no screenshot: the page did not answer)`);
    // The extension host writes its log, and each extension's log channels, under the user data folder; a
    // reload starts a new log folder. From the host's own log only the lines about this extension matter.
    for (const file of findLogs(sandbox.userData, /^(Multichat|remoteexthost)\.log$/)) {
      const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
      const relevant = basename(file) === 'Multichat.log' ? lines : lines.filter((line) => /multichat/i.test(line));
      if (relevant.some((line) => line.trim())) {
        console.error(`--- ${relative(sandbox.userData, file)} (tail) ---\n${relevant.slice(-25).join('\n')}\n---`);
      }
    }
    if (browserErrors.length > 0) {
      console.error(`--- browser errors (tail) ---\n${browserErrors.slice(-15).join('\n')}\n---`);
    }
  }

  const summary = () => `${timings.map(({ name, ms }) => `${name} ${seconds(ms)}`).join(', ')}; total ${seconds(Date.now() - started)}`;

  return { step, run, summary };
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`;

/** Log files under `dir`, matched by name. */
function findLogs(dir, pattern, depth = 6) {
  if (depth < 0 || !existsSync(dir)) {
    return [];
  }
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    try {
      return statSync(path).isDirectory() ? findLogs(path, pattern, depth - 1) : pattern.test(name) ? [path] : [];
    } catch {
      return [];
    }
  });
}
