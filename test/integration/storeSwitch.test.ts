// Switch Storage Backend and the CLI agree on the store: after a switch the old copy is moved aside under a name
// that says what replaced it (kept, not deleted), and `multichat list` run in the folder reads the store the
// settings now name. A second store beside the one in use is said plainly, once, in the editor and by the CLI.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { ChatTestApi } from '../../src/extension/chat/registerChat';
import { openStore } from '../../src/stores/openStore';
import { EXTENSION_ID, activateMultichat } from './helpers/extension';
import { sleep } from './helpers/waitFor';
import { ElementInfo, queryWorkbench, waitForWorkbench } from './helpers/workbench';

// The notification center lists every notification, whether or not VS Code also showed it as a toast
// (it does not always: another notification may be showing, or the center may be open).
const NOTIFICATIONS = '.notifications-center .notification-list-item';
const TARGET = vscode.ConfigurationTarget.WorkspaceFolder;

interface SwitchResult {
  switched: boolean;
  movedAside?: string;
}

suite('Switch Storage Backend and the CLI agree on the store', function () {
  this.timeout(120_000);
  let api: ChatTestApi;
  let folder: vscode.WorkspaceFolder;
  let root: string;
  const settings = () => vscode.workspace.getConfiguration('multichat.storage', folder.uri);

  suiteSetup(async () => {
    ({ chat: api } = await activateMultichat());
    folder = vscode.workspace.workspaceFolders![0];
    root = folder.uri.fsPath;
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    for (const key of ['backend', 'jsonDirectory']) {
      await settings().update(key, undefined, TARGET);
    }
  });

  /** `multichat <args>` in the folder, as a user would run it there: no --store, no MULTICHAT_STORE. */
  function cliInFolder(args: string[]): { code: number | null; stdout: string; stderr: string } {
    const cli = join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'cli.js');
    const env = { ...process.env, MULTICHAT_STORE: '', ELECTRON_RUN_AS_NODE: '1' };
    const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  const switchTo = (backend: string) =>
    vscode.commands.executeCommand<SwitchResult>('multichat.switchStorageBackend', { folder: folder.uri.toString(), backend, migrate: true });
  const sessionFilesIn = (directory: string) => (existsSync(directory) ? readdirSync(directory).filter((name) => name.endsWith('.jsonl')) : []);

  test('after a switch to SQLite the JSON copy is moved aside, and the CLI in the folder lists the SQLite store', async () => {
    const json = await api.storeFor(folder.uri.toString());
    assert.match(json.spec, /^json:/);
    const before = await json.create({ title: 'Made before the switch' });
    const toSqlite = await switchTo('sqlite');
    assert.equal(toSqlite?.switched, true);
    assert.match(toSqlite?.movedAside ?? '', /^\.multichat\.replaced-by-sqlite-\d{4}-\d\d-\d\dT[\d-]+Z$/);
    const aside = join(root, toSqlite.movedAside!);
    assert.ok(sessionFilesIn(aside).includes(`${before.id}.jsonl`), 'the old copy is kept, moved aside');
    assert.deepEqual(sessionFilesIn(join(root, '.multichat')), [], 'no JSON session is left beside the SQLite store');

    const sqlite = await api.storeFor(folder.uri.toString());
    assert.match(sqlite.spec, /^sqlite:/);
    const after = await sqlite.create({ title: 'Made after the switch' });
    await sqlite.delete(before.id);
    const listed = cliInFolder(['list']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(after.id));
    assert.doesNotMatch(listed.stdout, new RegExp(before.id), 'the CLI read a stale copy: a session deleted in the editor is listed');
    assert.equal(listed.stderr, '', 'one store, no warning');
    rmSync(aside, { recursive: true, force: true });

    const back = await switchTo('json');
    assert.match(back?.movedAside ?? '', /^\.multichat\/sessions\.sqlite\.replaced-by-json-/);
    const again = cliInFolder(['list']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, new RegExp(after.id));
    assert.equal(again.stderr, '');
    rmSync(join(root, back.movedAside!), { recursive: true, force: true });
  });

  test('a second store beside the one in use is said once in the editor, and by the CLI on every run', async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    const stray = await openStore({ kind: 'sqlite', file: join(root, '.multichat', 'sessions.sqlite') });
    await stray.create({ title: 'Left in SQLite' });
    await stray.close();
    try {
      // Any change of the storage settings reopens the stores, and the editor looks again.
      await settings().update('jsonDirectory', '.multichat', TARGET);
      // Other suites' stores (elsewhere) may have raised their own such warning: only this folder's default layout counts.
      const twoStores = (toasts: ElementInfo[]) => toasts.filter((toast) => toast.text.includes('has two session stores: JSON at .multichat,'));
      await vscode.commands.executeCommand('notifications.showList');
      const [toast] = twoStores(await waitForWorkbench(NOTIFICATIONS, (toasts) => twoStores(toasts).length > 0, 20_000));
      assert.match(toast.text, /: JSON at \.multichat, in use as its settings say, and an older SQLite copy at \.multichat\/sessions\.sqlite, whose sessions are shown nowhere/);
      assert.match(toast.text, /Copy In and Move Aside/);
      await settings().update('jsonDirectory', undefined, TARGET);
      await sleep(1500);
      assert.equal(twoStores(await queryWorkbench(NOTIFICATIONS)).length, 1, 'said once, not on every reopen');

      const listed = cliInFolder(['list']);
      assert.equal(listed.code, 0, listed.stderr);
      assert.match(listed.stderr, /warning: this folder has two session stores: JSON at \.multichat \(in use, as \.vscode\/settings\.json says\) and an older SQLite copy at \.multichat\/sessions\.sqlite/);
    } finally {
      await vscode.commands.executeCommand('notifications.hideList');
      for (const file of ['sessions.sqlite', 'sessions.sqlite.journal', 'sessions.sqlite.bak', 'sessions.sqlite.summaries.json']) {
        rmSync(join(root, '.multichat', file), { force: true });
      }
    }
  });
});
