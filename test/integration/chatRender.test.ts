// How a chat tab renders, in a real extension host and webview: a long session opens with only its newest
// messages rendered (older ones come as the user scrolls up), a search hit that is not rendered yet is
// rendered, scrolled into view and highlighted, and the highlight fades; code blocks are highlighted with
// their language; Copy as Markdown demotes a message's headings and prints readable times.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { NewMessage } from '../../src/core/model';
import type { SessionStore } from '../../src/core/store';
import type { ChatTestApi } from '../../src/extension/chat/registerChat';
import type { SessionRef } from '../../src/extension/sessionRef';
import { waitFor } from './helpers/waitFor';

const EXTENSION_ID = 'multichat.multichat-sessions';
const LONG_SESSION = 1000;

const articleIds = (html: string) => [...html.matchAll(/<article [^>]*data-id="([^"]+)"/g)].map(([, id]) => id);

function conversation(count: number): NewMessage[] {
  return Array.from({ length: count }, (_, index) => ({
    role: index % 2 === 0 ? 'user' : 'assistant',
    content: `Message number ${index}: ${'some words '.repeat(8)}\n\n- a list item\n- another one`,
  }));
}

suite('Chat rendering', () => {
  let api: ChatTestApi;
  let store: SessionStore;
  let folder: vscode.WorkspaceFolder;

  suiteSetup(async () => {
    const exports = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as { chat?: ChatTestApi } | undefined;
    assert.ok(exports?.chat, 'activate() should return { chat: registerChat(...).api }');
    api = exports.chat;
    folder = vscode.workspace.workspaceFolders![0];
    store = await api.storeFor(folder.uri.toString());
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  async function openSession(title: string, messages: NewMessage[]): Promise<SessionRef & { ids: string[] }> {
    const summary = await store.create({ title, messages });
    const ref = { folder: folder.uri.toString(), sessionId: summary.id };
    await vscode.commands.executeCommand('multichat.openSession', ref);
    const ids = (await store.get(summary.id))!.messages.map((message) => message.id);
    return { ...ref, ids };
  }

  const dom = (ref: SessionRef) => api.getWebviewDomForTest(ref);

  test('opens a 1,000-message session with only the newest messages rendered, the newest in view', async () => {
    const ref = await openSession('Long session', conversation(LONG_SESSION));
    const newest = ref.ids.at(-1)!;
    const snapshot = await waitFor('the newest message in view', () => dom(ref), (s) => s.visibleMessageIds.includes(newest));
    const rendered = articleIds(snapshot.messagesHtml);
    assert.ok(rendered.length < 200, `only the newest messages are rendered (${rendered.length} of ${LONG_SESSION})`);
    assert.deepEqual(rendered, ref.ids.slice(-rendered.length), 'the rendered ones are the newest, in order');
    assert.match(snapshot.messagesHtml, /Show older messages \(\d+ more\)/);
  });

  test('keeps a long session live: a new message appears at the bottom, in view', async () => {
    const ref = await openSession('Long and live', conversation(LONG_SESSION));
    await waitFor('the newest message in view', () => dom(ref), (s) => s.visibleMessageIds.includes(ref.ids.at(-1)!));
    const [added] = await store.appendMessages(ref.sessionId, [{ role: 'user', content: 'A late addition' }]);
    const snapshot = await waitFor('the new message in view', () => dom(ref), (s) => s.visibleMessageIds.includes(added.id), 15_000);
    assert.ok(articleIds(snapshot.messagesHtml).length < 200, 'still only the newest rendered');
  });

  test('reveals an old message that was not rendered: scrolls it into view, highlights it, and the highlight fades', async () => {
    const ref = await openSession('Search hit far back', conversation(LONG_SESSION));
    await waitFor('the tab', () => dom(ref), (s) => s.visibleMessageIds.includes(ref.ids.at(-1)!));
    const target = ref.ids[5];
    assert.ok(!articleIds((await dom(ref)).messagesHtml).includes(target), 'the old message is not rendered before the reveal');
    await vscode.commands.executeCommand('multichat.openSession', { ...ref, messageId: target });
    const shown = await waitFor('the old message highlighted and in view', () => dom(ref), (s) => s.highlightedMessageId === target && s.visibleMessageIds.includes(target));
    assert.ok(!shown.visibleMessageIds.includes(ref.ids.at(-1)!), 'the view moved away from the newest message');
    await waitFor('the highlight to fade', () => dom(ref), (s) => s.highlightedMessageId === '', 10_000);
    assert.ok((await dom(ref)).visibleMessageIds.includes(target), 'the message stays in view after the highlight fades');
  });

  test('highlights code blocks and labels them with their language', async () => {
    const ref = await openSession('Code', [
      { role: 'user', content: 'Show me a type guard' },
      { role: 'assistant', content: '```ts\nexport function isText(value: unknown): value is string {\n  return typeof value === "string";\n}\n```' },
    ]);
    const { messagesHtml } = await waitFor('the code block', () => dom(ref), (s) => s.messagesHtml.includes('code-block'));
    assert.match(messagesHtml, /<span class="code-language">TypeScript<\/span>/);
    assert.match(messagesHtml, /<code class="hljs language-ts"><span class="hljs-keyword">export<\/span>/);
    assert.match(messagesHtml, /<button type="button" class="copy-code" aria-label="Copy code"/);
  });

  test('Copy as Markdown demotes headings inside messages and prints readable times', async () => {
    const summary = await store.create({
      title: 'Release plan',
      createdAt: '2026-11-28T14:03:27.120Z',
      messages: [
        { role: 'user', content: 'Plan the release', createdAt: '2026-11-28T14:03:27.120Z' },
        { role: 'assistant', content: '# Steps\n\n## First\n\n```bash\n# not a heading\n```', createdAt: '2026-11-28T14:04:00.000Z' },
      ],
    });
    const copied = await vscode.commands.executeCommand<string | undefined>('multichat.copySessionAsMarkdown', { folder: folder.uri.toString(), sessionId: summary.id });
    assert.equal(await vscode.env.clipboard.readText(), copied);
    assert.match(copied ?? '', /^## Assistant <sub>2026-11-28 14:04 UTC<\/sub>\n\n### Steps\n\n#### First\n\n```bash\n# not a heading\n```$/m);
    assert.match(copied ?? '', /created 2026-11-28 14:03 UTC/);
    assert.doesNotMatch(copied ?? '', /\d{4}-\d\d-\d\dT\d\d:\d\d/, 'no raw ISO time');
  });
});
