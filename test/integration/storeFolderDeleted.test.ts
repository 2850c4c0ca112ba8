// A store folder deleted while the editor runs (`rm -rf .multichat`), on both backends: the Sessions view follows
// by itself, the next New Session recreates the store, and nothing keeps failing afterwards.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { ChatTestApi } from '../../src/extension/chat/registerChat';
import type { SessionRef } from '../../src/extension/sessionRef';
import type { SessionsViewApi } from '../../src/extension/tree/sessionsView';
import type { TreeSnapshot } from '../../src/extension/tree/treeSnapshot';
import { loggedErrors } from './helpers/extensionLog';
import { activateMultichat } from './helpers/extension';
import { restoreDefaultStore, storeSpecIn, useStoreAt } from './helpers/storeSettings';
import { sleep, waitFor } from './helpers/waitFor';

/** What "within a second" allows: the view is visible, so its reloads are debounced briefly. */
const EMPTIED_WITHIN_MS = 1000;
/** Long enough for a retry loop (watch restarts, rescans every 5 s) to show in the log. */
const QUIET_MS = 6000;

const labels = (snapshot: TreeSnapshot) => snapshot.groups.flatMap((group) => group.items.map((item) => item.label));

suite('Store folder deleted while the editor runs', function () {
  this.timeout(60_000);
  let api: ChatTestApi;
  let view: SessionsViewApi;
  let folder: vscode.WorkspaceFolder;
  let scratch: string;

  suiteSetup(async () => {
    ({ chat: api, sessionsView: view } = await activateMultichat());
    folder = vscode.workspace.workspaceFolders![0];
    scratch = mkdtempSync(join(tmpdir(), 'multichat-deleted-'));
    await vscode.commands.executeCommand('workbench.view.extension.multichat');
  });

  suiteTeardown(async () => {
    if (api) {
      await restoreDefaultStore(api, folder);
    }
    rmSync(scratch, { recursive: true, force: true });
  });

  const newSession = (title: string) =>
    vscode.commands.executeCommand<SessionRef | undefined>('multichat.newSession', { folder: folder.uri.toString(), title, open: false });

  for (const backend of ['json', 'sqlite'] as const) {
    test(`${backend}: the view empties within a second, New Session recreates the store, and nothing loops in the log`, async () => {
      const directory = join(scratch, backend, '.multichat');
      await useStoreAt(api, folder, storeSpecIn(backend, directory));
      const titles = [`Doomed ${backend} 1`, `Doomed ${backend} 2`];
      for (const title of titles) {
        assert.ok(await newSession(title), `New Session ${title} failed`);
      }
      await waitFor('both sessions in the view', () => view.getTreeSnapshot(), (s) => titles.every((title) => labels(s).includes(title)));
      const errorsBefore = loggedErrors().length;

      rmSync(directory, { recursive: true, force: true });
      const removedAt = Date.now();
      await waitFor('the view emptied', () => view.getTreeSnapshot({ settle: false }), (s) => !labels(s).some((label) => titles.includes(label)), 5000);
      const emptiedAfter = Date.now() - removedAt;
      console.log(`${backend}: the view emptied ${emptiedAfter} ms after the folder was deleted`);
      assert.ok(emptiedAfter <= EMPTIED_WITHIN_MS, `the view took ${emptiedAfter} ms to empty`);

      const ref = await newSession(`Recreated ${backend}`);
      assert.ok(ref, 'New Session failed after the folder was deleted (see the toast)');
      assert.ok(existsSync(directory), 'the store folder is recreated by the first write');
      const store = await api.storeFor(folder.uri.toString());
      assert.deepEqual((await store.list()).map((summary) => summary.title), [`Recreated ${backend}`]);
      await waitFor('the new session in the view', () => view.getTreeSnapshot(), (s) => labels(s).includes(`Recreated ${backend}`));

      await sleep(QUIET_MS);
      const errors = loggedErrors().slice(errorsBefore);
      assert.deepEqual(errors, [], 'no errors were logged after the folder was deleted');
    });
  }
});
