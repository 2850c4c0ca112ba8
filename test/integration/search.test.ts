// The one session search (Search Sessions and Open Session) in a real extension host: the picker is driven
// through the extension's test hook (setting its text as typing does) and read back both from the extension
// and from the workbench's own DOM, where the quick pick really shows its rows and separators.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { SessionStore } from '../../src/core/store';
import type { SearchPickerHandle, SearchPickerRow } from '../../src/extension/commands/quickOpen';
import type { SessionRef } from '../../src/extension/sessionRef';
import type { SessionsViewApi } from '../../src/extension/tree/sessionsView';
import { activateMultichat } from './helpers/extension';
import { loggedErrors } from './helpers/extensionLog';
import { waitFor } from './helpers/waitFor';
import { waitForWorkbench } from './helpers/workbench';

const PREFIX = `search-test-${Date.now()}`;
const WORD = `zebra${Date.now()}`;
const QUICK_INPUT_ROWS = '.quick-input-widget .quick-input-list .monaco-list-row';

let view: SessionsViewApi;
let store: SessionStore;
let folder: string;
const created: string[] = [];

async function session(name: string, tags: string[], messages: { role: 'user' | 'assistant'; content: string }[]): Promise<{ ref: SessionRef; ids: string[] }> {
  const summary = await store.create({ title: `${PREFIX} ${name}`, tags });
  created.push(summary.id);
  const appended = await store.appendMessages(summary.id, messages);
  return { ref: { folder, sessionId: summary.id }, ids: appended.map((message) => message.id) };
}

/** Starts a picker command without awaiting it (it resolves when the picker closes) and returns both. */
async function openPicker(command: string, ...args: unknown[]): Promise<{ picker: SearchPickerHandle; closed: Thenable<SessionRef | undefined> }> {
  const closed = vscode.commands.executeCommand<SessionRef | undefined>(command, ...args);
  const picker = await waitFor('the search picker to open', () => view.searchPicker(), (open) => open !== undefined, 10_000);
  return { picker: picker!, closed };
}

async function typeAndSettle(picker: SearchPickerHandle, text: string): Promise<SearchPickerRow[]> {
  picker.type(text);
  await picker.settled();
  return picker.rows();
}

function messageRefs(rows: SearchPickerRow[]): string[] {
  return rows.filter((row) => row.ref?.messageId !== undefined).map((row) => row.ref!.messageId!);
}

suite('Session search', function () {
  this.timeout(60_000);
  let first: { ref: SessionRef; ids: string[] };
  let second: { ref: SessionRef; ids: string[] };

  suiteSetup(async () => {
    const api = await activateMultichat();
    view = api.sessionsView;
    folder = vscode.workspace.workspaceFolders![0].uri.toString();
    store = await api.chat.storeFor(folder);
    first = await session('first', [], [
      { role: 'user', content: `Why does the **${WORD}** parser fail?` },
      { role: 'assistant', content: 'Unrelated answer.' },
      { role: 'assistant', content: `Because \`${WORD}\` needs:\n\n\`\`\`js\nparse(${WORD});\n\`\`\`` },
    ]);
    second = await session('second', [`t${Date.now()}`], [{ role: 'user', content: `one more ${WORD} here` }]);
    await view.whenIdle();
    await waitFor('the tree to list the new sessions', () => view.getTreeSnapshot(), (s) => JSON.stringify(s).includes(`${PREFIX} second`));
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const id of created) {
      await store.delete(id);
    }
  });

  test('keeps its word index beside the sessions, and finds phrases, accents and the word being typed', async () => {
    const own = `yak${Date.now()}`;
    const phrase = await session('phrase', [], [{ role: 'user', content: `The Café ${own} connection pool ran dry` }]);
    const ids = async (query: string): Promise<string[]> => (await store.search(query)).map((hit) => hit.sessionId);
    assert.deepEqual(await ids(`cafe ${own} "connection pool"`), [phrase.ref.sessionId]);
    assert.deepEqual(await ids(`${own} "pool connection"`), []);
    assert.deepEqual(await ids(`${own} conn`), [phrase.ref.sessionId]);
    const match = /^json:(.*)$/.exec(store.spec);
    assert.ok(match, `a JSON store in the test workspace (${store.spec})`);
    const file = join(match[1], 'search-index.bin');
    await waitFor('the search index to be saved', () => existsSync(file), (saved) => saved, 10_000);
  });

  test('lists every matching message under a separator per session, as you type', async () => {
    const { picker, closed } = await openPicker('multichat.searchSessions');
    const rows = await typeAndSettle(picker, WORD);
    assert.deepEqual(messageRefs(rows).sort(), [first.ids[0], first.ids[2], second.ids[0]].sort(), 'every matching message, not one per session');
    const firstHeading = rows.findIndex((row) => row.separator && row.label.startsWith(`${PREFIX} first`));
    assert.ok(firstHeading >= 0, `no separator for the first session: ${JSON.stringify(rows)}`);
    assert.deepEqual(
      rows.slice(firstHeading + 1, firstHeading + 3).map((row) => row.ref?.messageId),
      [first.ids[0], first.ids[2]],
      'its messages follow its separator, in order',
    );
    const snippet = rows[firstHeading + 1].label;
    assert.ok(!snippet.includes('**'), `the snippet shows raw Markdown: ${snippet}`);
    // The workbench shows the separators and snippets while text is typed (its own sort would drop separators).
    await waitForWorkbench(QUICK_INPUT_ROWS, (shown) => shown.some((row) => row.text.includes(`${PREFIX} first`)) && shown.some((row) => row.text.includes(`Why does the ${WORD} parser fail?`)));
    // The quick pick highlights the typed word where a row's label holds it.
    await waitForWorkbench(`${QUICK_INPUT_ROWS} .highlight`, (marks) => marks.filter((mark) => mark.text.toLowerCase() === WORD).length >= 3);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await closed, undefined);
  });

  test("typing fast leaves the last text's results only; the searches it replaced end without errors", async () => {
    const errorsBefore = loggedErrors().length;
    const { picker, closed } = await openPicker('multichat.searchSessions');
    for (let length = 2; length <= WORD.length; length++) {
      picker.type(WORD.slice(0, length)); // keystrokes well inside the debounce
    }
    await picker.settled();
    assert.equal(picker.value, WORD);
    assert.equal(messageRefs(picker.rows()).length, 3);
    assert.equal(picker.busy, false);
    assert.deepEqual(loggedErrors().slice(errorsBefore), []);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await closed;
  });

  test('filters by tag and role, names a bad filter, and stays open saying No matches', async () => {
    const { picker, closed } = await openPicker('multichat.searchSessions');
    const tag = (await store.get(second.ref.sessionId))!.tags[0];
    assert.deepEqual(messageRefs(await typeAndSettle(picker, `${WORD} tag:${tag}`)), [second.ids[0]]);
    assert.deepEqual(messageRefs(await typeAndSettle(picker, `role:assistant ${WORD}`)), [first.ids[2]]);
    const bad = await typeAndSettle(picker, `${WORD} role:robot`);
    assert.match(bad[0].label, /"role:robot" is not a role/);
    assert.match((await typeAndSettle(picker, 'role:user'))[0].label, /type a word/);
    const none = await typeAndSettle(picker, `${WORD}nothing`);
    assert.deepEqual(
      none.map((row) => row.label),
      ['No matches'],
    );
    await waitForWorkbench(QUICK_INPUT_ROWS, (shown) => shown.some((row) => row.text.includes('No matches')));
    assert.ok(view.searchPicker(), 'the picker stays open when nothing matches');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await closed;
  });

  test('accepting a message opens its session at that message', async () => {
    const { picker, closed } = await openPicker('multichat.searchSessions');
    await typeAndSettle(picker, `${WORD} parser`);
    await waitForWorkbench(QUICK_INPUT_ROWS, (shown) => shown.some((row) => row.text.includes('parser fail')));
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    assert.deepEqual(await closed, { ...first.ref, messageId: first.ids[0] });
    const api = await activateMultichat();
    await waitFor('the chat tab to open', () => api.chat.openRefs(), (refs) => refs.some((ref) => ref.sessionId === first.ref.sessionId));
    // A chat tab still loading can take the focus (and so close a quick pick): issue 9, item 6.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('Open Session opens the same picker, on the recent sessions', async () => {
    const { picker, closed } = await openPicker('multichat.quickOpenSession');
    const rows = picker.rows();
    assert.ok(rows.some((row) => row.label === `${PREFIX} second` && row.ref?.messageId === undefined), JSON.stringify(rows.slice(0, 5)));
    const found = await typeAndSettle(picker, WORD);
    assert.equal(messageRefs(found).length, 3, JSON.stringify(found));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await closed, undefined);
  });

  test('scripts get every match without a picker', async () => {
    const refs = await vscode.commands.executeCommand<SessionRef[]>('multichat.searchSessions', WORD, { pick: false });
    assert.deepEqual(refs.map((ref) => ref.messageId).sort(), [first.ids[0], first.ids[2], second.ids[0]].sort());
  });
});
