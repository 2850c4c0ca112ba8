// Chat tabs across a restore and after a turn without a model, in a real extension host: a tab whose session
// was deleted while the window was closed is not brought back, several tabs restored at once all come up
// with their own session, and Retry answers the saved message without storing it again.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { SessionStore } from '../../src/core/store';
import type { ChatResponder } from '../../src/extension/chat/modelHandle';
import type { ChatTestApi } from '../../src/extension/chat/registerChat';
import type { SessionRef } from '../../src/extension/sessionRef';
import { closeChatSuite, openChatSuite } from './helpers/chatSuite';
import { waitFor } from './helpers/waitFor';


const answeringResponder: ChatResponder = {
  id: 'test-answer',
  label: 'Test answer',
  async *respond(turns) {
    yield `Answer to: ${turns.at(-1)?.content ?? ''}`;
  },
};

suite('Chat tabs: restore and retry', () => {
  let api: ChatTestApi;
  let store: SessionStore;
  let folder: vscode.WorkspaceFolder;
  let lmHasModels = false;

  suiteSetup(async () => {
    ({ api, folder, store, lmHasModels } = await openChatSuite());
  });

  suiteTeardown(() => closeChatSuite(api));

  async function newSession(title: string, content?: string): Promise<SessionRef> {
    const summary = await store.create({ title, messages: content ? [{ role: 'user', content }] : [] });
    return { folder: folder.uri.toString(), sessionId: summary.id };
  }

  /** What VS Code does on workspace restore: a bare panel handed to the serializer with its saved state. */
  function revive(state: unknown): { panel: vscode.WebviewPanel; restored: Promise<void>; disposed: Promise<boolean> } {
    const panel = vscode.window.createWebviewPanel('multichat.chat', 'restoring', { viewColumn: vscode.ViewColumn.Active, preserveFocus: true });
    const disposed = new Promise<boolean>((resolve) => panel.onDidDispose(() => resolve(true)));
    return { panel, restored: api.reviveForTest(panel, state), disposed };
  }

  const isOpen = (ref: SessionRef) => api.openRefs().some((open) => open.sessionId === ref.sessionId);

  test('does not restore the tab of a session deleted while the window was closed', async () => {
    const ref = await newSession('Deleted before the restart', 'gone soon');
    await store.delete(ref.sessionId);
    const { restored, disposed } = revive({ ref, draft: 'unsent' });
    await restored;
    assert.equal(await Promise.race([disposed, new Promise((resolve) => setTimeout(() => resolve(false), 5000))]), true, 'the restored panel is closed');
    assert.equal(isOpen(ref), false);
  });

  test('restores several tabs at once, each alive with its own session, and one tab per session', async () => {
    const refs = await Promise.all(['first', 'second', 'third'].map((word) => newSession(`Restored ${word}`, `the ${word} message`)));
    const revivals = [...refs, refs[0]].map((ref) => revive({ ref, draft: '' }));
    await Promise.all(revivals.map((revival) => revival.restored));
    // Whichever of the two restores of one session finishes second is closed.
    assert.equal(await Promise.race([revivals[0].disposed, revivals[3].disposed]), true, 'a second restore of one session is closed');
    for (const [index, word] of ['first', 'second', 'third'].entries()) {
      const snapshot = await waitFor(`the ${word} tab`, () => api.getWebviewDomForTest(refs[index]), (s) => s.messagesHtml.includes(`the ${word} message`));
      assert.equal(snapshot.notice, '');
    }
    assert.equal(api.openRefs().filter((open) => refs.some((ref) => ref.sessionId === open.sessionId)).length, 3);
  });

  test('Retry after the no-model notice answers the saved message without storing it again', async function () {
    if (lmHasModels) {
      this.skip(); // the test responder is used only while vscode.lm has no model
    }
    api.setTestResponder(undefined);
    const ref = await newSession('Retry me');
    await vscode.commands.executeCommand('multichat.openSession', ref);
    await api.sendForTest(ref, 'Anyone there now?');
    const before = await waitFor('the no-model notice', () => api.getWebviewDomForTest(ref), (s) => /No language model is installed/.test(s.notice));
    assert.equal(before.retryShown, true, 'the notice offers Retry');
    api.setTestResponder(answeringResponder);
    try {
      await api.retryForTest(ref);
    } finally {
      api.setTestResponder(undefined);
    }
    const messages = (await store.get(ref.sessionId))!.messages;
    assert.deepEqual(messages.map((m) => [m.role, m.content]), [['user', 'Anyone there now?'], ['assistant', 'Answer to: Anyone there now?']]);
    const after = await waitFor('the reply in the tab', () => api.getWebviewDomForTest(ref), (s) => s.messagesHtml.includes('Answer to: Anyone there now?'));
    assert.deepEqual([after.notice, after.retryShown], ['', false]);
    await api.retryForTest(ref); // nothing left to answer: a second press stores and asks nothing
    assert.equal((await store.get(ref.sessionId))!.messages.length, 2);
  });
});
