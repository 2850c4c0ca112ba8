// The `extensionTestsPath` entry: the extension host calls run() and reports a rejection as exit code 1.
// Runs every bundled *.test.js beside this file with mocha; output goes through the console, which the
// harness (scripts/vscode-host/run-tests.mjs) forwards to its stdout.
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join, sep } from 'node:path';

/** The harness prints the host's console from this line on (scripts/vscode-host/testRun.mjs). */
const START_LINE = '[vscode-host] running integration tests';

function findSuites(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return findSuites(path);
    }
    return entry.name.endsWith('.test.js') ? [path] : [];
  });
}

/** The smoke suite goes first: it checks the fresh host before other suites activate the extension. */
function suiteOrder(files: string[]): string[] {
  const first = (file: string) => (file.endsWith(`${sep}activation.test.js`) ? 0 : 1);
  return [...files].sort((a, b) => first(a) - first(b) || a.localeCompare(b));
}

export async function run(): Promise<void> {
  console.log(START_LINE);
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, grep: process.env.VSCODE_HOST_GREP });
  suiteOrder(findSuites(__dirname)).forEach((file) => mocha.addFile(file));
  const stats = await new Promise<Mocha.Stats>((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats!));
  });
  // One plain closing line that CI summaries recognise, beside mocha's own "N passing".
  console.log(`integration: ${stats.passes} passed, ${stats.failures} failed, ${stats.pending} skipped`);
  if (stats.failures > 0 || stats.passes === 0) {
    throw new Error(stats.passes === 0 ? 'no integration test ran' : `${stats.failures} integration test(s) failed`);
  }
}
