// Export is quick: from a session (its context menu passes it) Export asks only the format, with the one used last
// first and highlighted, then the file, with a default name in the folder of the last export, so Enter, Enter
// exports. The result message offers Open and a way to find the file (here, a browser window on a server: the
// Explorer view, since revealing in the OS would open nothing on this machine).
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { ChatTestApi } from '../../src/extension/chat/registerChat';
import type { SessionRef } from '../../src/extension/sessionRef';
import { activateMultichat } from './helpers/extension';
import { ElementInfo, queryWorkbench, waitForWorkbench } from './helpers/workbench';

const TOASTS = '.notifications-toasts .notification-list-item';
const QUICK_INPUT = '.quick-input-widget';
const FOCUSED_ROW = '.quick-input-widget .monaco-list-row.focused';
const TITLE = '.quick-input-widget .quick-input-title';
const SIDEBAR_ROWS = '.part.sidebar .monaco-list-row';
const SIDEBAR_FOCUSED = '.part.sidebar .monaco-list-row.focused';

async function focusedRowIs(title: string): Promise<boolean> {
  return (await queryWorkbench(SIDEBAR_FOCUSED)).some((row) => row.text.includes(title));
}

suite('Export in few steps', function () {
  this.timeout(90_000);
  let api: ChatTestApi;
  let folder: vscode.WorkspaceFolder;
  let exports: string;

  suiteSetup(async () => {
    ({ chat: api } = await activateMultichat());
    folder = vscode.workspace.workspaceFolders![0];
    exports = join(folder.uri.fsPath, 'exports');
    mkdirSync(exports, { recursive: true });
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('notifications.clearAll');
    rmSync(exports, { recursive: true, force: true });
  });

  const visible = (elements: ElementInfo[]) => elements.some((element) => element.text.trim() !== '');

  test('the result message says where the file went, with Open and Reveal in Explorer View', async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    const summary = await (await api.storeFor(folder.uri.toString())).create({ title: 'First export', messages: [{ role: 'user', content: 'hi' }] });
    const ref: SessionRef = { folder: folder.uri.toString(), sessionId: summary.id };
    const file = join(exports, 'first.json');
    assert.equal(await vscode.commands.executeCommand('multichat.exportSessions', ref, { format: 'json', uri: vscode.Uri.file(file) }), vscode.Uri.file(file).toString());
    const exported = (toasts: ElementInfo[]) => toasts.find((toast) => toast.text.includes('exported 1 session to exports/first.json'));
    const toast = exported(await waitForWorkbench(TOASTS, (toasts) => exported(toasts) !== undefined, 15_000))!;
    assert.match(toast.text, /\bOpen\b/);
    assert.match(toast.text, /Reveal in Explorer View/);
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  test('from a session, Enter twice exports it in the format used last, under a name from its title, beside the last export', async () => {
    const summary = await (await api.storeFor(folder.uri.toString())).create({ title: 'Fix the parser: part 2', messages: [{ role: 'user', content: 'go' }] });
    const ref: SessionRef = { folder: folder.uri.toString(), sessionId: summary.id };
    const done = vscode.commands.executeCommand<string | undefined>('multichat.exportSessions', ref);

    const [format] = await waitForWorkbench(FOCUSED_ROW, visible, 15_000);
    assert.match(format.text, /JSON bundle/, 'the format used last is highlighted');
    assert.match(format.text, /last used/);
    assert.match((await queryWorkbench(TITLE))[0]?.text ?? '', /Export 1 session/);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');

    // The save dialog (VS Code's own, in a quick input here): its default is accepted as it is.
    await waitForWorkbench(TITLE, (titles) => titles.some((title) => /Export 1 session/.test(title.text)), 15_000);
    await waitForWorkbench(QUICK_INPUT, visible, 15_000);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const written = await done;
    const expected = join(exports, 'fix-the-parser-part-2.json');
    assert.equal(written, vscode.Uri.file(expected).toString());
    assert.ok(existsSync(expected));
    assert.match(readFileSync(expected, 'utf8'), /Fix the parser: part 2/);
  });

  test('from the palette, the sessions selected in the tree come checked and first, under a short title and placeholder', async () => {
    const title = `Selected in the tree ${Date.now()}`;
    const store = await api.storeFor(folder.uri.toString());
    await store.create({ title, messages: [{ role: 'user', content: 'x' }] });
    const newer = `Newer, not selected ${Date.now()}`;
    await store.create({ title: newer, messages: [{ role: 'user', content: 'y' }] }); // listed above the selected one
    await vscode.commands.executeCommand('multichat.sessions.focus');
    await waitForWorkbench(SIDEBAR_ROWS, (rows) => [title, newer].every((each) => rows.some((row) => row.text.includes(each))), 15_000);
    // Select it as a user would with the keyboard: move the focus down to its row, then Space/Enter (list.select).
    await vscode.commands.executeCommand('workbench.action.focusSideBar');
    await vscode.commands.executeCommand('list.focusFirst');
    for (let step = 0; step < 50 && !(await focusedRowIs(title)); step++) {
      await vscode.commands.executeCommand('list.focusDown');
    }
    assert.ok(await focusedRowIs(title), `could not move the tree's focus to "${title}"`);
    await vscode.commands.executeCommand('list.select');

    const done = vscode.commands.executeCommand<string | undefined>('multichat.exportSessions');
    const [titleBar] = await waitForWorkbench(TITLE, (titles) => titles.some((each) => each.text.includes('Export Sessions')), 15_000);
    assert.match(titleBar.text, /Export Sessions/);
    const [first] = await waitForWorkbench(`${QUICK_INPUT} .monaco-list-row`, (rows) => rows.length > 0, 15_000);
    assert.match(first.text, new RegExp(title), 'the selected session is listed first, above newer ones');
    const checked = await queryWorkbench(`${QUICK_INPUT} .monaco-list-row .monaco-custom-toggle.checked`);
    assert.deepEqual(checked.map((toggle) => toggle.ariaLabel), [title], 'only the selected session is checked');
    const input = (await queryWorkbench(`${QUICK_INPUT} .quick-input-box input`))[0];
    assert.ok((input?.ariaLabel ?? '').length <= 40, `the placeholder is short: ${input?.ariaLabel}`);
    // (Accepting a multi-select pick takes a real Enter, which the host cannot press: the steps after it are the
    // ones the test above goes through.)
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await done, undefined, 'dismissed: nothing exported');
  });
});
