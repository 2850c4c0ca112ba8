// The editor on a store that the kernel refuses to write: a full disk (a real 2 MB tmpfs filled to the last byte)
// and a read-only mount (remount,ro and back), for both backends. Needs root to mount; fails saying so otherwise.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, setup, test } from 'mocha';
import * as vscode from 'vscode';
import type { SessionStore } from '../../src/core/store';
import type { ChatResponder } from '../../src/extension/chat/modelHandle';
import type { ChatTestApi } from '../../src/extension/chat/registerChat';
import type { SessionRef } from '../../src/extension/sessionRef';
import type { SessionsViewApi } from '../../src/extension/tree/sessionsView';
import { Tmpfs, mountTmpfs } from '../helpers/tmpfs';
import { EXTENSION_ID, activateMultichat } from './helpers/extension';
import { restoreDefaultStore, storeSpecIn, useStoreAt } from './helpers/storeSettings';
import { sleep, waitFor } from './helpers/waitFor';
import { queryWorkbench, waitForWorkbench } from './helpers/workbench';

const STATUS_ITEM = `[id="${EXTENSION_ID}.multichat.status"]`;
const TOASTS = '.notifications-toasts .notification-list-item-message';
/** Bigger than the free part of any page a file already holds, so the write needs space the disk no longer has. */
const LONG_TEXT = `Keep this text safe. ${'0123456789'.repeat(1200)}`;

/** Replies "You said: …" in a few fragments; `between` runs after the first one. */
function echoResponder(between: () => void = () => undefined): ChatResponder {
  return {
    id: 'test-echo',
    label: 'Test echo',
    async *respond(turns) {
      yield 'You said: ';
      between();
      await sleep(20);
      yield (turns.at(-1)?.content ?? '').slice(0, 40);
      await sleep(20);
      yield ` ${'and more '.repeat(1000)}`;
    },
  };
}

const BACKENDS = ['json', 'sqlite'] as const;

suite('Store faults in the editor: full disk and read-only (real tmpfs)', function () {
  this.timeout(60_000);
  let api: ChatTestApi;
  let view: SessionsViewApi;
  let folder: vscode.WorkspaceFolder;
  let disk: Tmpfs;

  suiteSetup(async () => {
    ({ chat: api, sessionsView: view } = await activateMultichat());
    folder = vscode.workspace.workspaceFolders![0];
    assert.equal((await vscode.lm.selectChatModels()).length, 0, 'these tests use a local responder, which needs a host without language models');
    disk = mountTmpfs({ size: '2m' });
  });

  setup(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  suiteTeardown(async () => {
    api?.setTestResponder(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (api) {
      await restoreDefaultStore(api, folder);
    }
    disk?.unmount();
  });

  const specFor = (backend: (typeof BACKENDS)[number], name: string) => storeSpecIn(backend, join(disk.path, `${backend}-${name}`));

  async function openSession(store: SessionStore, title: string, content?: string): Promise<SessionRef> {
    const summary = await store.create({ title, messages: content === undefined ? [] : [{ role: 'user', content }] });
    const ref = { folder: folder.uri.toString(), sessionId: summary.id };
    await vscode.commands.executeCommand('multichat.openSession', ref);
    await waitFor('the tab', () => api.getWebviewDomForTest(ref), (dom) => content === undefined || dom.messagesHtml.includes(content));
    return ref;
  }

  const dom = (ref: SessionRef) => api.getWebviewDomForTest(ref);
  const contents = async (store: SessionStore, ref: SessionRef) => (await store.get(ref.sessionId))!.messages.map((m) => m.content);

  for (const backend of BACKENDS) {
    test(`${backend}: a send on a full disk keeps the text in the input box, says why once, shows nothing unsaved, and works once space returns`, async () => {
      const store = await useStoreAt(api, folder, specFor(backend, 'full'));
      api.setTestResponder(echoResponder());
      const ref = await openSession(store, `Full disk ${backend}`);
      disk.fill();
      try {
        await api.sendForTest(ref, LONG_TEXT);
        const failed = await waitFor('the notice', () => dom(ref), (s) => /disk is full/.test(s.notice));
        assert.equal(failed.draft, LONG_TEXT, 'the text is back in the input box');
        assert.equal(failed.notice.match(/disk is full/g)?.length, 1, `said once: ${failed.notice}`);
        assert.ok(!failed.messagesHtml.includes('Keep this text safe'), 'the tab shows no message that was not saved');
        assert.deepEqual(await contents(store, ref), []);
        await sleep(500); // a toast would be up by now
        const toasts = await queryWorkbench(TOASTS);
        assert.ok(!toasts.some((toast) => /disk is full|could not/i.test(toast.text)), `no toast besides the notice: ${JSON.stringify(toasts)}`);
      } finally {
        disk.drain();
      }
      await api.sendForTest(ref, LONG_TEXT);
      const [user, reply] = await contents(store, ref);
      assert.equal(user, LONG_TEXT);
      assert.match(reply ?? '', /^You said: Keep this text safe/);
      await waitFor('the sent message and a clear notice', () => dom(ref), (s) => s.messagesHtml.includes('Keep this text safe') && s.notice === '');
    });
  }

  test('json: a reply the full disk cannot save is not blamed on the language model, and what was saved stays', async () => {
    const store = await useStoreAt(api, folder, specFor('json', 'reply'));
    api.setTestResponder(echoResponder(() => disk.fill()));
    const ref = await openSession(store, 'Full mid-reply');
    try {
      await api.sendForTest(ref, 'Fill the disk while you answer');
      const snapshot = await waitFor('the notice', () => dom(ref), (s) => s.notice !== '');
      assert.match(snapshot.notice, /^The reply could not be saved: .*the disk is full \(ENOSPC\)\. Your message is saved\./);
      assert.doesNotMatch(snapshot.notice, /language model failed/);
      const [user, reply, ...rest] = (await store.get(ref.sessionId))!.messages;
      assert.equal(user.content, 'Fill the disk while you answer');
      assert.deepEqual(rest, []);
      assert.ok(reply === undefined || (reply.incomplete === true && reply.content.startsWith('You said: ')), 'what was saved of the reply stays, incomplete');
      const shown = snapshot.messagesHtml.match(/and more/g)?.length ?? 0;
      const saved = reply?.content.match(/and more/g)?.length ?? 0;
      assert.ok(shown <= saved, `the tab shows only what was saved (${shown} shown, ${saved} saved)`);
    } finally {
      disk.drain();
    }
  });

  for (const backend of BACKENDS) {
    test(`${backend}: a read-only store shows as read-only in the view, the status bar and the tab, and returns to normal when writable`, async () => {
      const store = await useStoreAt(api, folder, specFor(backend, 'readonly'));
      api.setTestResponder(echoResponder());
      const ref = await openSession(store, `Read-only ${backend}`, 'Readable while read-only');
      disk.remount('ro');
      try {
        const blocked = await waitFor('the read-only notice', () => dom(ref), (s) => /read-only/.test(s.notice) && s.sendDisabled, 10_000);
        assert.ok(blocked.messagesHtml.includes('Readable while read-only'), 'its sessions still read');
        const tree = await waitFor('the view message', () => view.getTreeSnapshot({ settle: false }), (s) => /read-only/.test(s.message ?? ''), 10_000);
        assert.match(tree.message ?? '', new RegExp(`The session store of ${folder.name} is read-only \\(.+\\): you can read its sessions but not change them\\.`));
        assert.ok(tree.groups.some((group) => group.items.some((item) => item.label === `Read-only ${backend}`)), 'the view still lists its sessions');
        await waitForWorkbench(STATUS_ITEM, ([item]) => /read-only/.test(item?.ariaLabel ?? ''));
        await api.sendForTest(ref, 'Not while read-only');
        assert.deepEqual(await contents(store, ref), ['Readable while read-only'], 'nothing is written');
        assert.equal((await dom(ref)).draft, 'Not while read-only', 'the text stays in the input box');
        const created = await vscode.commands.executeCommand('multichat.newSession', { folder: folder.uri.toString(), title: 'Refused', open: false });
        assert.equal(created, undefined);
        await waitForWorkbench(TOASTS, (toasts) => toasts.some((toast) => /could not create the session: .*the store is read-only/.test(toast.text)));
      } finally {
        disk.remount('rw');
      }
      await waitFor('the tab back to normal', () => dom(ref), (s) => s.notice === '' && !s.sendDisabled, 10_000);
      await waitFor('the view back to normal', () => view.getTreeSnapshot({ settle: false }), (s) => !/read-only/.test(s.message ?? ''), 10_000);
      await waitForWorkbench(STATUS_ITEM, ([item]) => item !== undefined && !/read-only/.test(item.ariaLabel ?? ''));
      await api.sendForTest(ref, 'Writable again');
      assert.equal((await contents(store, ref))[1], 'Writable again');
    });
  }
});
