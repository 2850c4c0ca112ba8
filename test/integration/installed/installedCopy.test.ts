// Smoke test of the extension installed from its .vsix (scripts/vscode-host/vsix-smoke.mjs), the copy users get:
// it runs from the extensions folder in production mode, activates by its activation event, contributes its
// commands and views, creates and lists a session, exports no test hooks, and its README shows the screenshot.
// It uses only what any extension or user has: the vscode API, the commands, the files on disk, the workbench.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import { openStore } from '../../../src/stores/openStore';
import { waitFor } from '../helpers/waitFor';
import { ElementInfo, waitForWorkbench } from '../helpers/workbench';

const EXTENSION_ID = 'multichat.multichat-sessions';
/** Every name the test API (src/extension/extension.ts, MultichatTestApi) has, at any depth. */
const TEST_HOOKS = ['sessionsView', 'chat', 'getTreeSnapshot', 'whenIdle', 'storeFor', 'openRefs', 'panelTitle', 'draftFor',
  'sendForTest', 'stopForTest', 'getWebviewDomForTest', 'setTestResponder', 'reviveForTest', 'sharing', 'sharedView'];
const STATUS_ITEM = `[id="${EXTENSION_ID}.multichat.status"]`;
const SESSION_ROWS = '.part.sidebar .monaco-list-row .label-name';
const README_SCREENSHOT = 'img[alt^="Multichat Sessions in VS Code"]';
const TITLE = 'Packaged smoke';

interface PackageJson {
  version: string;
  contributes: { commands: { command: string }[]; views: Record<string, { id: string; when?: string }[]> };
}

/** The names among TEST_HOOKS found in `value` and the objects it holds, two levels down. */
function hookNamesIn(value: unknown, depth = 2): string[] {
  if (typeof value !== 'object' || value === null || depth < 0) {
    return [];
  }
  return Object.entries(value).flatMap(([key, inner]) => [...(TEST_HOOKS.includes(key) ? [key] : []), ...hookNamesIn(inner, depth - 1)]);
}

const showsText = (text: string) => (elements: ElementInfo[]) => elements.some((element) => element.text.trim() === text);

suite('Installed .vsix (smoke)', () => {
  let extension: vscode.Extension<unknown>;
  let workspace: string;

  suiteSetup(() => {
    const found = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(found, `${EXTENSION_ID} is not installed in this host`);
    extension = found;
    workspace = vscode.workspace.workspaceFolders![0].uri.fsPath;
  });

  test('runs from the extensions folder, not from a development path', () => {
    const extensionsDir = process.env.VSCODE_HOST_EXTENSIONS_DIR;
    assert.ok(extensionsDir, 'VSCODE_HOST_EXTENSIONS_DIR is not set: run this through scripts/vscode-host/vsix-smoke.mjs');
    const version = (extension.packageJSON as PackageJson).version;
    assert.equal(extension.extensionPath, join(extensionsDir, `${EXTENSION_ID}-${version}`));
    assert.ok(!existsSync(join(extension.extensionPath, 'src')), 'the installed copy holds src/');
  });

  test('activates by itself in a workspace with .multichat', async () => {
    await waitFor('the extension activating on workspaceContains:.multichat', () => extension.isActive, Boolean, 30_000);
  });

  test('exports no test hooks', async () => {
    const exports: unknown = await extension.activate(); // already active: resolves with its exports
    assert.deepEqual(hookNamesIn(exports), [], 'the installed extension exports test hooks any extension could call');
  });

  test('registers every command it contributes', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = (extension.packageJSON as PackageJson).contributes.commands.map(({ command }) => command);
    assert.ok(contributed.length >= 20, `only ${contributed.length} commands contributed`);
    assert.deepEqual(contributed.filter((command) => !registered.has(command)), []);
  });

  test('contributes the Sessions view, which opens in the side bar', async () => {
    const views = (extension.packageJSON as PackageJson).contributes.views.multichat;
    // The Shared view shows only once a team Redis is configured.
    assert.deepEqual(views.map(({ id, when }) => [id, when]), [['multichat.sessions', undefined], ['multichat.shared', 'multichat.redis.configured']]);
    await vscode.commands.executeCommand('multichat.sessions.focus');
    await waitForWorkbench('.part.sidebar .composite.title .title-label', (labels) => labels.some((label) => /multichat/i.test(label.text)));
  });

  test('New Session creates a session on disk that the view, the status bar and the store list', async () => {
    const ref = await vscode.commands.executeCommand<{ sessionId: string } | undefined>('multichat.newSession', { title: TITLE, open: false });
    assert.ok(ref?.sessionId, 'New Session returned no session');
    assert.ok(existsSync(join(workspace, '.multichat', `${ref.sessionId}.jsonl`)), 'no session file in .multichat/');
    const store = await openStore({ kind: 'json', directory: join(workspace, '.multichat') });
    try {
      assert.deepEqual((await store.list()).map(({ id, title }) => ({ id, title })), [{ id: ref.sessionId, title: TITLE }]);
    } finally {
      await store.close();
    }
    await waitForWorkbench(SESSION_ROWS, showsText(TITLE), 15_000);
    await waitForWorkbench(STATUS_ITEM, showsText('1'), 15_000);
  });

  test('its page in the Extensions view shows the README with the screenshot loaded', async () => {
    await vscode.commands.executeCommand('extension.open', EXTENSION_ID);
    const [image] = await waitForWorkbench(README_SCREENSHOT, (found) => found.some((each) => (each.image?.naturalWidth ?? 0) > 0), 30_000, { frames: true });
    assert.ok(image.image!.src.startsWith('data:image/png') || image.image!.src.startsWith('https://'), image.image!.src.slice(0, 60));
  });
});
