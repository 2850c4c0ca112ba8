// The `extensionTestsPath` entry of the smoke suite for the installed .vsix (scripts/vscode-host/vsix-smoke.mjs):
// runs every bundled *.test.js beside this file (../helpers/mochaRun.ts).
import { runSuites } from '../helpers/mochaRun';

export const run = (): Promise<void> => runSuites(__dirname, { label: 'vsix-smoke' });
