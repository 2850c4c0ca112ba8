// Damaged data noticed when it happens: garbage lines written into an open session's file (JSON store, on a
// real tmpfs) raise a notification naming the session, Verify Store names what it found, and Repair on a
// read-only store says so plainly. Needs root to mount the tmpfs; fails saying so otherwise.
import * as assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, setup, test } from 'mocha';
import * as vscode from 'vscode';
import type { SessionStore } from '../../src/core/store';
import type { ChatTestApi } from '../../src/extension/chat/registerChat';
import type { SessionRef } from '../../src/extension/sessionRef';
import { Tmpfs, mountTmpfs } from '../helpers/tmpfs';
import { activateMultichat } from './helpers/extension';
import { restoreDefaultStore, useStoreAt } from './helpers/storeSettings';
import { sleep, waitFor } from './helpers/waitFor';
import { ElementInfo, queryWorkbench, waitForWorkbench } from './helpers/workbench';

/** A whole toast: its message, its source and its buttons. */
const TOASTS = '.notifications-toasts .notification-list-item';
const ADVICE = 'Verify Store checks the store; Repair quarantines the damaged data (nothing is deleted).';

const mentioning = (text: string) => (toasts: ElementInfo[]) => toasts.filter((toast) => toast.text.includes(text));

suite('Damaged data noticed in the editor (real tmpfs)', function () {
  this.timeout(60_000);
  let api: ChatTestApi;
  let folder: vscode.WorkspaceFolder;
  let disk: Tmpfs;
  let directory: string;
  let store: SessionStore;

  suiteSetup(async () => {
    ({ chat: api } = await activateMultichat());
    folder = vscode.workspace.workspaceFolders![0];
    disk = mountTmpfs({ size: '4m' });
    directory = join(disk.path, 'sessions');
    store = await useStoreAt(api, folder, { kind: 'json', directory });
  });

  setup(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (api) {
      await restoreDefaultStore(api, folder);
    }
    disk?.unmount();
  });

  async function openSession(title: string): Promise<SessionRef> {
    const summary = await store.create({ title, messages: [{ role: 'user', content: 'first' }, { role: 'assistant', content: 'second' }] });
    const ref = { folder: folder.uri.toString(), sessionId: summary.id };
    await vscode.commands.executeCommand('multichat.openSession', ref);
    await waitFor('the tab', () => api.getWebviewDomForTest(ref), (dom) => dom.messagesHtml.includes('second'));
    return ref;
  }

  /** What another program (or a bad merge) does to the session's file behind the store's back. */
  const damage = (ref: SessionRef, lines: string[]) => appendFileSync(join(directory, `${ref.sessionId}.jsonl`), lines.map((line) => `${line}\n`).join(''));

  /** Runs Verify Store until it shows its findings; the caller then picks a button (or clears the toast). */
  async function verifyShowing(pattern: RegExp): Promise<{ toast: ElementInfo; done: Thenable<unknown> }> {
    await vscode.commands.executeCommand('notifications.clearAll');
    const done = vscode.commands.executeCommand('multichat.verifyStore');
    const [toast] = await waitForWorkbench(TOASTS, (toasts) => toasts.some((each) => pattern.test(each.text)));
    return { toast, done };
  }

  test('a garbage line written into an open session raises one notification naming the session, with Verify Store and Repair', async () => {
    const ref = await openSession('Flaky CI');
    damage(ref, ['this line is not JSON']);
    const [toast] = await waitForWorkbench(TOASTS, (toasts) => mentioning('Flaky CI')(toasts).length > 0);
    assert.match(toast.text, new RegExp(`Multichat: session "Flaky CI" has a damaged record \\(line 4: not valid JSON\\)\\. ${escape(ADVICE)}`));
    assert.match(toast.text, /Verify Store/);
    assert.match(toast.text, /Repair/);
    await sleep(1500); // the store reads the file again on every change; it still warns once
    assert.equal(mentioning('Flaky CI')(await queryWorkbench(TOASTS)).length, 1);
  });

  test('many damaged lines read at once make one notification, not a wall of them', async () => {
    const ref = await openSession('Many bad lines');
    damage(ref, ['garbage one', 'garbage two', '{"half": "a record"']);
    await waitForWorkbench(TOASTS, (toasts) => mentioning('Many bad lines')(toasts).length > 0);
    await sleep(1500);
    const toasts = mentioning('Many bad lines')(await queryWorkbench(TOASTS));
    assert.equal(toasts.length, 1, JSON.stringify(toasts));
    assert.match(
      toasts[0].text,
      new RegExp(`session "Many bad lines" has 3 damaged records \\(line 4: not valid JSON, line 5: not valid JSON and 1 more\\)\\. ${escape(ADVICE)}`),
    );
  });

  test('Verify Store names what it found, and its Repair quarantines it', async () => {
    const { toast, done } = await verifyShowing(/Multichat found/);
    assert.match(toast.text, /Multichat found 4 problems: session "(Flaky CI|Many bad lines)" \(line \d: not valid JSON\), session "[^"]+" \(line \d: not valid JSON\) and 2 more; see the log\./);
    await vscode.commands.executeCommand('notification.acceptPrimaryAction'); // Repair
    await done;
    await waitForWorkbench(TOASTS, (toasts) => toasts.some((each) => each.text.includes('Multichat: store repaired.')));
    const again = await verifyShowing(/every session store is healthy|Multichat found/);
    assert.match(again.toast.text, /every session store is healthy/);
    await again.done;
  });

  test('Repair on a read-only store says plainly that the store is read-only', async () => {
    const ref = await openSession('Damaged and read-only');
    damage(ref, ['not JSON either']);
    await waitForWorkbench(TOASTS, (toasts) => mentioning('Damaged and read-only')(toasts).length > 0);
    disk.remount('ro');
    try {
      const { toast, done } = await verifyShowing(/Multichat found/);
      assert.match(toast.text, /Multichat found 1 problem: session "Damaged and read-only" \(line 4: not valid JSON\)\./);
      await vscode.commands.executeCommand('notification.acceptPrimaryAction'); // Repair
      await done;
      const [refused] = await waitForWorkbench(TOASTS, (toasts) => toasts.some((each) => each.text.includes('could not repair')));
      assert.match(refused.text, new RegExp(`Multichat: could not repair ${escape(directory)}: the store is read-only: the file system is mounted read-only \\(EROFS\\)`));
    } finally {
      disk.remount('rw');
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
