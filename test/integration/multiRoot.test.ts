// A multi-root workspace where one folder is broken (its .multichat is a plain file): the others still count in
// the status bar, whose tooltip names each folder's own backend, and Verify Store checks every folder and names
// the broken one in plain words instead of failing as a whole. The harness opens the window through a
// .code-workspace file, so folders can be added here without VS Code restarting the extension host.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { ChatTestApi } from '../../src/extension/chat/registerChat';
import { openStore } from '../../src/stores/openStore';
import { activateMultichat } from './helpers/extension';
import { ElementInfo, queryWorkbench, waitForWorkbench } from './helpers/workbench';

const STATUS_ITEM = '[id="multichat.multichat-sessions.multichat.status"]';
const TOASTS = '.notifications-toasts .notification-list-item';
const MODAL = '.monaco-dialog-box';

suite('Multi-root workspace with a broken folder', function () {
  this.timeout(90_000);
  let api: ChatTestApi;
  let root: string;
  let firstCount: number;

  suiteSetup(async () => {
    ({ chat: api } = await activateMultichat());
    assert.ok(vscode.workspace.workspaceFile, 'the harness must open the window through a .code-workspace file (run-tests.mjs does)');
    root = mkdtempSync(join(tmpdir(), 'multi-root-'));
    const sqliteFolder = join(root, 'sqlite-folder');
    const brokenFolder = join(root, 'broken-folder');
    mkdirSync(join(sqliteFolder, '.vscode'), { recursive: true });
    writeFileSync(join(sqliteFolder, '.vscode', 'settings.json'), '{ "multichat.storage.backend": "sqlite" }\n');
    const sqlite = await openStore({ kind: 'sqlite', file: join(sqliteFolder, '.multichat', 'sessions.sqlite') });
    for (const title of ['One', 'Two', 'Three']) {
      await sqlite.create({ title });
    }
    await sqlite.close();
    mkdirSync(brokenFolder);
    writeFileSync(join(brokenFolder, '.multichat'), 'not a folder\n');
    const first = vscode.workspace.workspaceFolders![0];
    firstCount = (await (await api.storeFor(first.uri.toString())).list()).length;
    const changed = new Promise((resolve) => vscode.workspace.onDidChangeWorkspaceFolders(resolve));
    assert.ok(vscode.workspace.updateWorkspaceFolders(1, 0, { uri: vscode.Uri.file(sqliteFolder) }, { uri: vscode.Uri.file(brokenFolder) }));
    await changed;
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    const count = vscode.workspace.workspaceFolders?.length ?? 1;
    if (count > 1) {
      const changed = new Promise((resolve) => vscode.workspace.onDidChangeWorkspaceFolders(resolve));
      vscode.workspace.updateWorkspaceFolders(1, count - 1);
      await changed;
    }
    rmSync(root, { recursive: true, force: true });
  });

  test('the status bar counts the healthy folders and names each folder\'s backend and the broken folder', async () => {
    const total = firstCount + 3;
    const first = vscode.workspace.workspaceFolders![0].name;
    // The item appears before it has counted all three folders: wait for the count, then read its tooltip.
    const counted = (items: ElementInfo[]) => items.length === 1 && new RegExp(`\\b${total}\\b`).test(items[0].text) && /broken-folder/.test(items[0].ariaLabel ?? '');
    const [item] = await waitForWorkbench(STATUS_ITEM, counted, 20_000);
    const label = item.ariaLabel ?? '';
    assert.match(label, new RegExp(`${first}: ${firstCount} sessions? in JSON storage`));
    assert.match(label, /sqlite-folder: 3 sessions in SQLite storage/);
    assert.match(label, /broken-folder: its JSON store could not be opened/);
  });

  test('Verify Store checks every folder and names the broken one in plain words, without Repair for it', async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    const done = vscode.commands.executeCommand('multichat.verifyStore');
    const mentionsBroken = (toasts: ElementInfo[]) => toasts.find((toast) => toast.text.includes('broken-folder'));
    const toast = mentionsBroken(await waitForWorkbench(TOASTS, (toasts) => mentionsBroken(toasts) !== undefined, 20_000))!;
    assert.match(toast.text, /the store of broken-folder could not be opened: .*a part of its path is not a folder \(ENOTDIR\)/);
    assert.doesNotMatch(toast.text, /Repair/, 'Repair cannot fix a store that does not open');
    assert.doesNotMatch(toast.text, /ENOTDIR: not a directory/, 'the raw Node error stays in the log');
    assert.equal((await queryWorkbench(MODAL)).length, 0, 'no modal error dialog');
    await vscode.commands.executeCommand('notifications.clearAll');
    await done;
  });
});
