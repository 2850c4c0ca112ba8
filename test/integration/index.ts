// The `extensionTestsPath` entry of the integration suites: the extension host calls run() and reports a
// rejection as exit code 1. Runs every bundled *.test.js beside this file (helpers/mochaRun.ts).
import { sep } from 'node:path';
import { runSuites } from './helpers/mochaRun';

/** The smoke suite goes first: it checks the fresh host before other suites activate the extension. */
function suiteOrder(files: string[]): string[] {
  const first = (file: string) => (file.endsWith(`${sep}activation.test.js`) ? 0 : 1);
  return [...files].sort((a, b) => first(a) - first(b) || a.localeCompare(b));
}

export const run = (): Promise<void> => runSuites(__dirname, { label: 'integration', order: suiteOrder });
