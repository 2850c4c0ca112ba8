// A throwaway folder per run: HOME, TMPDIR, the server's data dirs, the browser profile and the workspace.
// The server writes sockets and settings under HOME/TMPDIR, so nothing leaks into the real ones.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A calm workbench: no welcome page, walkthrough or tips competing with what a run looks at. */
const QUIET_USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
};

/** `settings` go to the workspace's .vscode/settings.json (only when given), `userSettings` to the user's. */
export function createSandbox({ settings = {}, userSettings = {} } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'vscode-host-'));
  const dirs = Object.fromEntries(
    ['home', 'tmp', 'userData', 'serverData', 'extensions', 'browser', 'bridge', 'workspace'].map((name) => [name, join(root, name)]),
  );
  Object.values(dirs).forEach((dir) => mkdirSync(dir));
  // Settings for the extension under test go through files: the payload's extensionEnvironment is ignored.
  if (Object.keys(settings).length > 0) {
    writeJson(join(dirs.workspace, '.vscode', 'settings.json'), settings);
  }
  writeJson(join(dirs.userData, 'User', 'settings.json'), { ...QUIET_USER_SETTINGS, ...userSettings });
  return { root, ...dirs, serverLog: join(root, 'server.log') };
}

function writeJson(file, value) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(value, null, 2));
}

/**
 * A .code-workspace file holding the sandbox's one workspace folder. A window opened on it is a (one-folder)
 * multi-root workspace, so a test can add folders without VS Code reloading the window and the extension host.
 */
export function writeWorkspaceFile(sandbox) {
  const file = join(sandbox.root, 'tests.code-workspace');
  writeJson(file, { folders: [{ path: sandbox.workspace }] });
  return file;
}

export function removeSandbox(sandbox) {
  rmSync(sandbox.root, { recursive: true, force: true, maxRetries: 3 });
}
