// Which time a session shows and groups by, and where an untitled session's title comes from, in a
// real extension host. Tidying an old session (tag, rename, pin, unpin) must leave it in its date
// group with its age; a New Session left without a title is named by the first message sent in
// its tab, and a rename wins over any later message.
import assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { SessionStore } from '../../src/core/store';
import type { ChatResponder } from '../../src/extension/chat/modelHandle';
import type { ChatTestApi } from '../../src/extension/chat/registerChat';
import type { SessionRef } from '../../src/extension/sessionRef';
import type { SessionsViewApi } from '../../src/extension/tree/sessionsView';
import type { TreeSnapshot, TreeSnapshotItem } from '../../src/extension/tree/treeSnapshot';
import { openStore } from '../../src/stores/openStore';
import { storeSpecForFolder } from '../../src/extension/workspaceStores';
import { activateMultichat } from './helpers/extension';
import { waitFor } from './helpers/waitFor';
import { waitForWorkbench } from './helpers/workbench';

const PREFIX = `session-time-${Date.now()}`;
const DAY = 24 * 60 * 60 * 1000;

const quietResponder: ChatResponder = {
  id: 'test-quiet',
  label: 'Test quiet',
  async *respond() {
    yield 'Noted.';
  },
};

interface Located {
  group: string;
  item: TreeSnapshotItem;
}

function locate(snapshot: TreeSnapshot, predicate: (item: TreeSnapshotItem) => boolean): Located | undefined {
  for (const group of snapshot.groups) {
    const item = group.items.find(predicate);
    if (item) {
      return { group: group.label, item };
    }
  }
  return undefined;
}

suite('Session time and titles', function () {
  this.timeout(120_000);
  let view: SessionsViewApi;
  let chat: ChatTestApi;
  let folder: vscode.WorkspaceFolder;
  let outside: SessionStore;
  const created: string[] = [];

  const run = <T>(command: string, ...args: unknown[]): Thenable<T> => vscode.commands.executeCommand<T>(command, ...args);
  const refOf = (sessionId: string): SessionRef => ({ folder: folder.uri.toString(), sessionId });

  /** The session's tree item once `accept` holds for it (the tree is polled, never refreshed by hand). */
  async function treeItem(sessionId: string, what: string, accept: (found: Located) => boolean): Promise<Located> {
    const found = await waitFor(
      what,
      async () => locate(await view.getTreeSnapshot({ settle: true }), (item) => item.ref?.sessionId === sessionId),
      (value) => value !== undefined && accept(value),
      20_000,
    );
    return found!;
  }

  suiteSetup(async () => {
    const api = await activateMultichat();
    assert.ok(api.sessionsView && api.chat, 'activate() returns the tree and chat test APIs');
    view = api.sessionsView;
    chat = api.chat;
    folder = vscode.workspace.workspaceFolders![0];
    // A second store on the folder's location plays the CLI writing old sessions.
    outside = await openStore(storeSpecForFolder(folder));
    await run('multichat.groupSessionsByDate');
    await run('multichat.clearTagFilter');
  });

  suiteTeardown(async () => {
    chat?.setTestResponder(undefined);
    await run('workbench.action.closeAllEditors');
    for (const id of created) {
      await outside?.delete(id);
    }
    await outside?.close();
  });

  test('tagging, renaming, pinning and unpinning an old session leave it in its date group with its age', async () => {
    const threeDaysAgo = new Date(Date.now() - 3 * DAY).toISOString();
    const old = await outside.create({
      title: `${PREFIX} old`,
      createdAt: threeDaysAgo,
      messages: [
        { role: 'user', content: 'What broke the build?', createdAt: threeDaysAgo },
        { role: 'assistant', content: 'A missing semicolon.', createdAt: threeDaysAgo },
      ],
    });
    created.push(old.id);
    const before = await treeItem(old.id, 'the old session in the tree', (found) => found.group === 'Previous 7 days');
    assert.equal(before.item.description, '2 messages · 3d ago');

    await run('multichat.addTag', refOf(old.id), 'tidied');
    await run('multichat.renameSession', refOf(old.id), `${PREFIX} old, renamed`);
    const tidied = await treeItem(old.id, 'the rename in the tree', (found) => found.item.label === `${PREFIX} old, renamed`);
    assert.equal(tidied.group, 'Previous 7 days', 'a rename or a tag does not move the session to Today');
    assert.equal(tidied.item.description, '2 messages · 3d ago · #tidied', 'nor make it "just now"');

    await run('multichat.pinSession', refOf(old.id));
    await treeItem(old.id, 'the pin in the tree', (found) => found.group === 'Pinned');
    await run('multichat.unpinSession', refOf(old.id));
    const unpinned = await treeItem(old.id, 'the unpin in the tree', (found) => found.group !== 'Pinned');
    assert.equal(unpinned.group, 'Previous 7 days', 'unpinned, it goes back to where its last message puts it');
    assert.equal(unpinned.item.description, '2 messages · 3d ago · #tidied');
    const own = await chat.storeFor(folder.uri.toString());
    const summary = (await own.list()).find((each) => each.id === old.id);
    assert.ok(summary && summary.updatedAt > summary.lastMessageAt, 'updatedAt still records the tidying');
  });

  test('a New Session left without a title is named by its first message, and a rename wins', async () => {
    chat.setTestResponder(quietResponder);
    const pending = run<SessionRef | undefined>('multichat.newSession', { folder: folder.uri.toString() });
    await waitForWorkbench('.quick-input-widget .quick-input-message', (elements) => elements.some((each) => /first message/.test(each.text)), 20_000);
    await run('workbench.action.acceptSelectedQuickOpenItem');
    const ref = await pending;
    assert.ok(ref, 'New Session accepts an empty title');
    created.push(ref.sessionId);
    await treeItem(ref.sessionId, 'the untitled session in the tree', (found) => found.item.label === 'New session');
    await waitFor('the chat tab', () => chat.panelTitle(ref), (title) => title === 'New session');

    await chat.sendForTest(ref, '## Plan the **release** notes\nwith the changelog');
    await waitFor('the tab named after the message', () => chat.panelTitle(ref), (title) => title === 'Plan the release notes');
    await treeItem(ref.sessionId, 'the tree item named after the message', (found) => found.item.label === 'Plan the release notes');
    await chat.sendForTest(ref, 'A second question');
    const own = await chat.storeFor(folder.uri.toString());
    assert.equal((await own.get(ref.sessionId))?.title, 'Plan the release notes', 'later messages do not rename it');

    const renamed = await run<SessionRef | undefined>('multichat.newSession', { folder: folder.uri.toString(), title: '', open: false });
    assert.ok(renamed);
    created.push(renamed.sessionId);
    await run('multichat.renameSession', refOf(renamed.sessionId), `${PREFIX} chosen`);
    await run('multichat.openSession', refOf(renamed.sessionId));
    await chat.sendForTest(refOf(renamed.sessionId), 'Not meant as a title');
    await treeItem(renamed.sessionId, 'the renamed session after a message', (found) => found.item.description?.startsWith('2 messages') === true);
    assert.equal((await own.get(renamed.sessionId))?.title, `${PREFIX} chosen`, "the user's title wins");
  });
});
