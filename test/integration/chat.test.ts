// Chat tabs in a real extension host: opening, sending (no model, and a local responder when vscode.lm has
// none), inert rendering of hostile content, live refresh from another writer, and restore from state.
// The webview's real DOM is read back through the extension's test API (the webview posts it on request).
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { SessionStore } from '../../src/core/store';
import type { ChatResponder } from '../../src/extension/chat/modelHandle';
import type { ChatTestApi } from '../../src/extension/chat/registerChat';
import type { SessionRef } from '../../src/extension/sessionRef';
import { openStore } from '../../src/stores/openStore';
import { closeChatSuite, openChatSuite } from './helpers/chatSuite';
import { sleep, waitFor } from './helpers/waitFor';


/** Replies "You said: <last message>" word by word, like a streaming model. */
const echoResponder: ChatResponder = {
  id: 'test-echo',
  label: 'Test echo',
  async *respond(turns) {
    for (const word of `You said: ${turns.at(-1)?.content ?? ''}`.split(/(?= )/)) {
      await sleep(20);
      yield word;
    }
  },
};

/** Sends one fragment, then waits to be stopped. */
const stallingResponder: ChatResponder = {
  id: 'test-stall',
  label: 'Test stall',
  async *respond(_turns, signal) {
    yield 'The first part';
    while (!signal.isCancellationRequested) {
      await sleep(20);
    }
  },
};

function chatTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('multichat.chat'));
}

suite('Chat tabs', () => {
  let api: ChatTestApi;
  let store: SessionStore;
  let folder: vscode.WorkspaceFolder;
  let lmHasModels = false;

  suiteSetup(async () => {
    ({ api, folder, store, lmHasModels } = await openChatSuite());
  });

  suiteTeardown(() => closeChatSuite(api));

  async function newSession(title: string): Promise<SessionRef> {
    const summary = await store.create({ title, messages: [] });
    return { folder: folder.uri.toString(), sessionId: summary.id };
  }

  async function openNewSession(title: string): Promise<SessionRef> {
    const ref = await newSession(title);
    await vscode.commands.executeCommand('multichat.openSession', ref);
    return ref;
  }

  /** What VS Code does on workspace restore: a bare panel handed to the serializer with its saved state. */
  async function revive(state: unknown): Promise<vscode.WebviewPanel> {
    const panel = vscode.window.createWebviewPanel('multichat.chat', 'restoring', vscode.ViewColumn.Active);
    await api.reviveForTest(panel, state);
    return panel;
  }

  const dom = (ref: SessionRef) => api.getWebviewDomForTest(ref);

  test('opens a session in one tab titled after it, and keeps the title in step with renames', async () => {
    const ref = await openNewSession('Parser refactor');
    await vscode.commands.executeCommand('multichat.openSession', ref);
    await waitFor('the tab title', () => chatTabs().map((tab) => tab.label), (labels) => labels.filter((l) => l === 'Parser refactor').length === 1);
    assert.equal(api.openRefs().filter((open) => open.sessionId === ref.sessionId).length, 1, 'opening again reveals the same tab');
    await store.update(ref.sessionId, { title: 'Parser rewrite' });
    await waitFor('the renamed title', () => api.panelTitle(ref), (title) => title === 'Parser rewrite');
  });

  test('without a language model the message is saved and the tab says so plainly', async function () {
    if (lmHasModels) {
      this.skip(); // a real model is installed in this host
    }
    api.setTestResponder(undefined);
    const ref = await openNewSession('No model');
    await api.sendForTest(ref, 'Is anyone there?');
    const session = await store.get(ref.sessionId);
    assert.deepEqual(session?.messages.map((m) => [m.role, m.content]), [['user', 'Is anyone there?']]);
    const snapshot = await waitFor('the message in the tab', () => dom(ref), (s) => s.messagesHtml.includes('Is anyone there?'));
    assert.match(snapshot.notice, /No language model is installed/);
    assert.deepEqual(snapshot.models, []);
  });

  test('streams a reply into the tab and the store, completed', async function () {
    if (lmHasModels) {
      this.skip(); // the test responder is used only while vscode.lm has no model
    }
    api.setTestResponder(echoResponder);
    const ref = await openNewSession('Echo');
    await api.sendForTest(ref, 'hello there');
    const reply = (await store.get(ref.sessionId))!.messages[1];
    assert.deepEqual([reply.role, reply.content, reply.model, reply.incomplete], ['assistant', 'You said: hello there', 'test-echo', false]);
    const snapshot = await waitFor('the reply in the tab', () => dom(ref), (s) => s.messagesHtml.includes('You said: hello there'));
    assert.equal(snapshot.notice, '');
    assert.deepEqual(snapshot.models, ['test-echo']);
    assert.doesNotMatch(snapshot.messagesHtml, /badge incomplete/);
  });

  test('stop keeps the partial reply, marked incomplete, with a badge', async function () {
    if (lmHasModels) {
      this.skip();
    }
    api.setTestResponder(stallingResponder);
    const ref = await openNewSession('Stop me');
    const sending = api.sendForTest(ref, 'Take your time');
    await waitFor('the first fragment', () => store.get(ref.sessionId), (s) => (s?.messages.length ?? 0) === 2, 5000);
    api.stopForTest(ref);
    await sending;
    const reply = (await store.get(ref.sessionId))!.messages[1];
    assert.deepEqual([reply.content, reply.incomplete], ['The first part', true]);
    const snapshot = await waitFor('the incomplete badge', () => dom(ref), (s) => s.messagesHtml.includes('badge incomplete'));
    assert.match(snapshot.notice, /Stopped/);
    api.setTestResponder(undefined);
  });

  test('renders hostile content as inert text', async () => {
    const ref = await openNewSession('Hostile');
    const payload = 'A <script>alert(1)</script> B <img src=x onerror=alert(1)> C [x](javascript:alert(1)) D <a href="javascript:alert(2)">y</a>';
    await store.appendMessages(ref.sessionId, [{ role: 'assistant', content: payload }]);
    const { messagesHtml } = await waitFor('the payload in the tab', () => dom(ref), (s) => s.messagesHtml.includes('alert(2)'));
    assert.doesNotMatch(messagesHtml, /<script/i);
    assert.doesNotMatch(messagesHtml, /<img/i);
    assert.doesNotMatch(messagesHtml, /<[a-z][^>]*\son[a-z]+\s*=/i, 'no event-handler attribute');
    assert.doesNotMatch(messagesHtml, /<[^>]*\shref\s*=\s*"\s*javascript:/i, 'no javascript: link');
    assert.match(messagesHtml, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(messagesHtml, /\[x\]\(javascript:alert\(1\)\)/);
  });

  test('refreshes after another writer changes the session, keeping the draft', async () => {
    const ref = await newSession('Shared');
    await revive({ ref, draft: 'half-written thought' });
    await waitFor('the tab', () => dom(ref), (s) => s.draft === 'half-written thought');
    const other = await openStore({ kind: 'json', directory: join(folder.uri.fsPath, '.multichat') });
    try {
      await other.appendMessages(ref.sessionId, [{ role: 'user', content: 'written by another window' }]);
    } finally {
      await other.close();
    }
    const snapshot = await waitFor('the outside message', () => dom(ref), (s) => s.messagesHtml.includes('written by another window'), 15_000);
    assert.equal(snapshot.draft, 'half-written thought');
  });

  test('says so when the session is deleted elsewhere', async () => {
    const ref = await openNewSession('Doomed');
    await store.delete(ref.sessionId);
    const snapshot = await waitFor('the deleted notice', () => dom(ref), (s) => /deleted/.test(s.notice));
    assert.match(snapshot.notice, /Your unsent draft is still here/);
  });

  test('restores a tab from its saved state, with the draft, and scrolls to a requested message', async () => {
    const summary = await store.create({ title: 'Restored', messages: [{ role: 'user', content: 'first' }, { role: 'assistant', content: 'second' }] });
    const ref = { folder: folder.uri.toString(), sessionId: summary.id };
    await revive({ ref, draft: 'unsent words' });
    const snapshot = await waitFor('the restored tab', () => dom(ref), (s) => s.messagesHtml.includes('second'));
    assert.equal(snapshot.draft, 'unsent words');
    assert.equal(api.draftFor(ref), 'unsent words', 'the draft is kept in workspaceState too');
    await waitFor('the restored title', () => api.panelTitle(ref), (title) => title === 'Restored');
    const target = (await store.get(ref.sessionId))!.messages[0].id;
    await vscode.commands.executeCommand('multichat.openSession', { ...ref, messageId: target });
    await waitFor('the highlighted message', () => dom(ref), (s) => s.highlightedMessageId === target);
  });

  test('does not restore tabs when multichat.restoreOpenSessions is off, nor from foreign state', async () => {
    const settings = vscode.workspace.getConfiguration('multichat');
    const panelDisposed = (panel: vscode.WebviewPanel) => new Promise<void>((resolve) => panel.onDidDispose(() => resolve()));
    const foreign = vscode.window.createWebviewPanel('multichat.chat', 'foreign', vscode.ViewColumn.Active);
    const foreignGone = panelDisposed(foreign);
    await api.reviveForTest(foreign, { something: 'else' });
    await foreignGone;
    await settings.update('restoreOpenSessions', false, vscode.ConfigurationTarget.Workspace);
    try {
      const summary = await store.create({ title: 'Not restored' });
      const panel = vscode.window.createWebviewPanel('multichat.chat', 'restoring', vscode.ViewColumn.Active);
      const gone = panelDisposed(panel);
      await api.reviveForTest(panel, { ref: { folder: folder.uri.toString(), sessionId: summary.id }, draft: '' });
      await gone;
      assert.ok(!api.openRefs().some((open) => open.sessionId === summary.id));
    } finally {
      await settings.update('restoreOpenSessions', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
