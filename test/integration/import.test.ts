// Importing other tools' chat histories in the editor: Import Sessions… with arguments (a bundle, a broken
// file) gives back the ImportReport; imported sessions carry their source's mark in the Sessions view and can
// be filtered by source together with the tag filter; the Copilot Chat history of this workspace is offered
// in Import Sessions… and by a notification, once. What needs the Copilot importer itself is in
// importCopilot.test.ts.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { ImportReport } from '../../src/interop/import/runImport';
import type { MultichatTestApi } from '../../src/extension/extension';
import type { TreeSnapshot, TreeSnapshotItem } from '../../src/extension/tree/treeSnapshot';
import { activateMultichat } from './helpers/extension';
import { bundleOf, copilotSession, writeJson } from './helpers/importFixtures';
import { waitFor } from './helpers/waitFor';
import { waitForWorkbench } from './helpers/workbench';

const PREFIX = `import-test-${Date.now()}`;
// The notification center lists every notification, whether or not it was shown as a toast (a quick import's
// result can arrive while its progress toast is closing, and then not be toasted).
const NOTIFICATIONS = '.notifications-center .notification-list-item';
const QUICK_ROWS = '.quick-input-widget .monaco-list-row';
const OUTPUT_LINES = '.part.panel .view-lines';

const run = <T>(command: string, ...args: unknown[]): Thenable<T> => vscode.commands.executeCommand<T>(command, ...args);
const items = (snapshot: TreeSnapshot): TreeSnapshotItem[] => snapshot.groups.flatMap((group) => group.items);
const notified = async (check: (text: string) => boolean): Promise<string> => {
  await run('notifications.showList');
  const elements = await waitForWorkbench(NOTIFICATIONS, (found) => found.some((element) => check(element.text)), 15_000);
  return elements.find((element) => check(element.text))!.text;
};
/** Two Copilot sessions in this workspace's history folder, as the offer tests expect (each test places them, so either runs alone). */
const placeOfferedHistory = async (chatSessions: string): Promise<void> => {
  await mkdir(chatSessions, { recursive: true });
  await writeJson(join(chatSessions, 'offer-a.json'), copilotSession('offer-a', `${PREFIX} offered`, [{ question: 'How do I…', answer: 'Like this…' }]));
  await writeJson(join(chatSessions, 'offer-b.json'), copilotSession('offer-b', `${PREFIX} offered too`, [{ question: 'And…', answer: 'So.' }]));
};
const ours = (snapshot: TreeSnapshot): string[] => items(snapshot).filter((item) => item.label.startsWith(PREFIX)).map((item) => item.label).sort();

suite('Import from other tools', function () {
  this.timeout(90_000);
  let api: MultichatTestApi;
  let folder: vscode.WorkspaceFolder;
  let scratch: string;
  let chatSessions: string;
  const ids = { copilot: `${PREFIX}-copilot`, cline: `${PREFIX}-cline`, own: '' };
  const names = { copilot: `${PREFIX} from copilot`, cline: `${PREFIX} from cline`, own: `${PREFIX} our own` };

  const snapshot = async (check: (snapshot: TreeSnapshot) => boolean): Promise<TreeSnapshot> =>
    waitFor('the Sessions view', () => api.sessionsView.getTreeSnapshot(), check, 10_000);

  suiteSetup(async () => {
    api = await activateMultichat();
    folder = vscode.workspace.workspaceFolders![0];
    scratch = await mkdtemp(join(tmpdir(), 'multichat-import-'));
    chatSessions = api.imports.copilotHistoryFolder()!;
    assert.ok(chatSessions, 'a workspace is open: the extension has workspace storage, and so a Copilot history folder');
    await run('multichat.clearTagFilter');
    await run('multichat.clearSourceFilter');
  });

  suiteTeardown(async () => {
    await run('workbench.action.closeQuickOpen');
    await run('notifications.clearAll');
    await run('multichat.clearTagFilter');
    await run('multichat.clearSourceFilter');
    const store = await api.chat.storeFor(folder.uri.toString());
    for (const summary of await store.list()) {
      if (summary.title.startsWith(PREFIX)) {
        await store.delete(summary.id);
      }
    }
    await rm(chatSessions, { recursive: true, force: true });
    await rm(scratch, { recursive: true, force: true });
  });

  test('a Multichat bundle imported with arguments gives its report back, and again changes nothing', async () => {
    await run('notifications.clearAll');
    const bundle = join(scratch, 'other-tools.json');
    await writeJson(bundle, bundleOf([
      { id: ids.copilot, title: names.copilot, source: 'copilot', tags: ['work'] },
      { id: ids.cline, title: names.cline, source: 'cline', tags: ['work'] },
    ]));
    const options = { folder: folder.uri.toString() };
    const first = await run<ImportReport | undefined>('multichat.importSessions', bundle, options);
    assert.deepEqual(first && { ...first, skipped: undefined }, {
      imported: 2, updated: 0, unchanged: 0, messages: 4, units: 1, formats: ['multichat'], failed: [], skipped: undefined, cancelled: false,
    });
    await notified((text) => text.includes('Multichat: imported 2, updated 0, unchanged 0 (4 messages from 1 file).'));
    const again = await run<ImportReport | undefined>('multichat.importSessions', vscode.Uri.file(bundle), { ...options, from: 'multichat' });
    assert.deepEqual(again && [again.imported, again.updated, again.unchanged], [0, 0, 2]);
    const store = await api.chat.storeFor(folder.uri.toString());
    assert.equal((await store.get(ids.copilot))?.source, 'copilot');
  });

  test('a broken file is named in the report and the log, and imports nothing', async () => {
    const broken = join(scratch, 'broken-export.json');
    await writeFile(broken, '{ "format": "multichat-export", "version": 1, "sessions": [ { "id": ');
    await run('notifications.clearAll');
    const report = await run<ImportReport | undefined>('multichat.importSessions', broken, { folder: folder.uri.toString() });
    assert.equal(report?.imported, 0);
    assert.equal(report?.failed.length, 1);
    assert.equal(report?.failed[0].path, broken);
    assert.match(report?.failed[0].error ?? '', /broken-export\.json: .*not JSON/);
    await notified((text) => /1 file not imported/.test(text) && /Show Problems/.test(text));
    await run('multichat.showLog');
    // The Output panel wraps long lines.
    await waitForWorkbench(OUTPUT_LINES, (lines) => lines.some((line) => line.text.replace(/\n/g, '').includes(`not imported: ${broken}: invalid bundle`)), 15_000);
  });

  test('an unknown format is refused by name, and nothing recognised is said so', async () => {
    await run('notifications.clearAll');
    const report = await run<ImportReport | undefined>('multichat.importSessions', join(scratch, 'broken-export.json'), { from: 'chatgpt' });
    assert.equal(report, undefined);
    await notified((text) => text.includes('unknown import format: "chatgpt"'));
    const notes = join(scratch, 'notes.txt');
    await writeFile(notes, 'just notes');
    await run('notifications.clearAll');
    assert.equal(await run('multichat.importSessions', notes, { folder: folder.uri.toString() }), undefined);
    await notified((text) => text.includes(`found nothing to import at ${notes}`));
    await run('notifications.clearAll');
  });

  test('imported sessions show their source; Multichat’s own stay unmarked', async () => {
    const own = await (await api.chat.storeFor(folder.uri.toString())).create({ title: names.own, tags: ['work'], messages: [{ role: 'user', content: 'mine' }] });
    ids.own = own.id;
    const tree = await snapshot((each) => ours(each).length === 3);
    const item = (title: string) => items(tree).find((each) => each.label === title)!;
    assert.match(item(names.copilot).description ?? '', / · Copilot · #work$/);
    assert.equal(item(names.copilot).icon, 'copilot');
    assert.equal(item(names.copilot).contextValue, 'session.tagged.imported');
    assert.match(item(names.cline).description ?? '', / · Cline · #work$/);
    assert.equal(item(names.cline).icon, 'robot');
    assert.doesNotMatch(item(names.own).description ?? '', /Copilot|Cline|Multichat/);
    assert.equal(item(names.own).icon, 'comment-discussion');
    assert.equal(item(names.own).contextValue, 'session.tagged');
    const tooltip = await api.sessionsView.tooltipFor({ folder: folder.uri.toString(), sessionId: ids.copilot });
    assert.match((tooltip ?? '').replace(/&nbsp;/g, ' '), /last message .* · imported from Copilot · tags: work/);
  });

  test('Filter by Source shows only the checked sources, together with the tag filter', async () => {
    assert.deepEqual(await run('multichat.filterBySource', ['copilot']), ['copilot']);
    let tree = await snapshot((each) => ours(each).length === 1);
    assert.deepEqual(ours(tree), [names.copilot]);
    assert.equal(tree.description, 'from: Copilot');
    assert.match(tree.message ?? '', /Showing only sessions from Copilot\./);

    assert.deepEqual(await run('multichat.filterBySource', ['copilot', 'multichat']), ['copilot', 'multichat']);
    await run('multichat.filterByTag', 'work');
    tree = await snapshot((each) => ours(each).length === 2);
    assert.deepEqual(ours(tree), [names.copilot, names.own].sort(), 'the Cline session has the tag but not the source');
    assert.equal(tree.description, 'tag: work · from: Copilot, Multichat');

    await run('multichat.filterBySource', 'cursor');
    tree = await snapshot((each) => each.status === 'filteredEmpty');
    await run('multichat.clearTagFilter');
    await run('multichat.clearSourceFilter');
    tree = await snapshot((each) => ours(each).length === 3 && each.description === undefined);
    assert.equal(tree.status, 'ready');
  });

  test('Filter by Source offers the sources present, with their counts', async () => {
    const picking = run('multichat.filterBySource');
    const rows = await waitForWorkbench(QUICK_ROWS, (found) => found.some((row) => row.text.includes('Copilot')), 15_000);
    const texts = rows.map((row) => row.text);
    assert.ok(texts.some((text) => /Multichat.*created here/.test(text)), texts.join(' | '));
    assert.ok(texts.some((text) => /Copilot.*1 session/.test(text)), texts.join(' | '));
    assert.ok(texts.some((text) => /Cline.*1 session/.test(text)), texts.join(' | '));
    await run('workbench.action.closeQuickOpen');
    assert.deepEqual(await picking, [], 'dismissed: the view stays unfiltered');
  });

  test('Import Sessions… offers this workspace’s Copilot Chat history with its number of session files', async () => {
    await placeOfferedHistory(chatSessions);
    const importing = run('multichat.importSessions');
    // Waits for this pick's own rows: the quick input of the test before may still be in the page.
    const rows = await waitForWorkbench(QUICK_ROWS, (found) => found.length >= 3 && /Copilot Chat history of this workspace/.test(found[0].text), 15_000);
    assert.match(rows[0].text, /Copilot Chat history of this workspace.*2 session files/);
    assert.match(rows[1].text, /File…/);
    assert.match(rows[2].text, /Folder…/);
    await run('workbench.action.closeQuickOpen');
    assert.equal(await importing, undefined);
  });

  test('the offer to import the Copilot Chat history is made once, naming how many sessions it holds', async () => {
    await placeOfferedHistory(chatSessions);
    await run('notifications.clearAll');
    const answer = api.imports.offerCopilotImport();
    const offer = await notified((text) => text.includes('Import 2 Copilot Chat sessions of this workspace into Multichat?'));
    for (const action of ['Import', 'Keep Following', 'Not Now', 'Never for This Workspace']) {
      assert.ok(offer.includes(action), `the offer has ${action}: ${offer}`);
    }
    assert.equal(await api.imports.offerCopilotImport(), 'not-offered', 'not twice in a window');
    await run('notifications.clearAll');
    assert.equal(await answer, 'not-now', 'closed unanswered: asked again next time the window opens');
    await run('notifications.hideList');
    const store = await api.chat.storeFor(folder.uri.toString());
    assert.ok(!(await store.list()).some((summary) => summary.title.startsWith(`${PREFIX} offered`)), 'nothing imported without an answer');
    assert.ok(basename(chatSessions) === 'chatSessions');
  });
});
