// A command that fails inside VS Code itself shows one clear sentence, never VS Code's raw error (its details go to
// the log). In an extension test run VS Code refuses every dialog ("DialogService: refused to show dialog in
// tests"), which is the failure `npm start` users met with the smoke-test driver: Delete Session asks first.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import type { ChatTestApi } from '../../src/extension/chat/registerChat';
import { activateMultichat } from './helpers/extension';
import { ElementInfo, waitForWorkbench } from './helpers/workbench';

const TOASTS = '.notifications-toasts .notification-list-item';
const OUTPUT_LINES = '.part.panel .view-lines';

suite('Command failures in plain words', function () {
  this.timeout(60_000);
  let api: ChatTestApi;

  suiteSetup(async () => {
    ({ chat: api } = await activateMultichat());
  });

  test('a dialog VS Code refuses to show fails the command with a clear sentence, and the log has the details', async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    const folder = vscode.workspace.workspaceFolders![0];
    const summary = await (await api.storeFor(folder.uri.toString())).create({ title: 'Ask before deleting' });
    const result = await vscode.commands.executeCommand('multichat.deleteSession', { folder: folder.uri.toString(), sessionId: summary.id });
    assert.equal(result, undefined, 'the command failed');
    const failed = (toasts: ElementInfo[]) => toasts.find((toast) => toast.text.includes('could not delete the session'));
    const toast = failed(await waitForWorkbench(TOASTS, (toasts) => failed(toasts) !== undefined, 15_000))!;
    assert.match(toast.text, /Multichat could not delete the session: VS Code or a library it uses reported an unexpected error \(the log has the details\)\./);
    assert.doesNotMatch(toast.text, /DialogService/);
    await vscode.commands.executeCommand('multichat.showLog');
    await waitForWorkbench(OUTPUT_LINES, (editors) => editors.some((editor) => editor.text.includes('DialogService')), 15_000);
    await vscode.commands.executeCommand('notifications.clearAll');
    assert.ok(await (await api.storeFor(folder.uri.toString())).get(summary.id), 'nothing was deleted without the question');
  });
});
