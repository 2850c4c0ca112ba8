// Runs every bundled *.test.js under a folder with mocha, inside the extension host; output goes through the
// console, which the harness forwards to its stdout. Shared by the two test entries (index.ts beside the
// integration suites, installed/index.ts beside the smoke suite of the installed .vsix).
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

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

export interface RunOptions {
  /** Names the run in its closing line. */
  label: string;
  order?: (files: string[]) => string[];
}

/** Resolves when every suite passed; rejects (the host reports exit code 1) on a failure or when none ran. */
export async function runSuites(dir: string, { label, order = (files) => [...files].sort() }: RunOptions): Promise<void> {
  console.log(START_LINE);
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, grep: process.env.VSCODE_HOST_GREP });
  order(findSuites(dir)).forEach((file) => mocha.addFile(file));
  const stats = await new Promise<Mocha.Stats>((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats!));
  });
  // One plain closing line that CI summaries recognise, beside mocha's own "N passing".
  console.log(`${label}: ${stats.passes} passed, ${stats.failures} failed, ${stats.pending} skipped`);
  if (stats.failures > 0 || stats.passes === 0) {
    throw new Error(stats.passes === 0 ? `${label}: no test ran` : `${label}: ${stats.failures} test(s) failed`);
  }
}
