// Runs inside a real VS Code extension host (mocha, TDD interface) with one workspace folder open.
// The extension's `activate` must return `{ sessionsView: SessionsViewApi }`.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { SessionStore } from '../../src/core/store';
import { parseBundle } from '../../src/interop/bundle';
import type { ImportReport } from '../../src/interop/import/runImport';
import { openStore } from '../../src/stores/openStore';
import { SessionRef } from '../../src/extension/sessionRef';
import type { SessionsViewApi } from '../../src/extension/tree/sessionsView';
import type { TreeSnapshot, TreeSnapshotGroup, TreeSnapshotItem } from '../../src/extension/tree/treeSnapshot';
import { storeSpecForFolder } from '../../src/extension/workspaceStores';
import { ElementInfo, waitForWorkbench } from './helpers/workbench';

const EXTENSION_ID = 'multichat.multichat-sessions';
const PREFIX = `tree-test-${Date.now()}`;
const DAY = 24 * 60 * 60 * 1000;
const PAGE_SIZE = 250;
const EXPANDED_ROWS = '.pane-body .monaco-list-row[aria-expanded="true"]';
const SESSION_ROWS = '.pane-body .monaco-list-row[aria-level="2"]';

let view: SessionsViewApi;
let folder: vscode.WorkspaceFolder;
let outside: SessionStore;
let scratch: string;

function title(name: string): string {
  return `${PREFIX} ${name}`;
}

async function run<T>(command: string, ...args: unknown[]): Promise<T> {
  return vscode.commands.executeCommand<T>(command, ...args);
}

function locate(snapshot: TreeSnapshot, label: string): { group: TreeSnapshotGroup; item: TreeSnapshotItem } | undefined {
  for (const group of snapshot.groups) {
    const item = group.items.find((each) => each.label === label);
    if (item) {
      return { group, item };
    }
  }
  return undefined;
}

/**
 * Polls the tree (never refreshing it) until the check passes; fails with the last snapshot.
 * `settle: false` reads the tree as it is, without running a reload that is only scheduled.
 */
async function waitForTree(check: (snapshot: TreeSnapshot) => boolean, timeoutMs = 3000, settle = true): Promise<TreeSnapshot> {
  const deadline = Date.now() + timeoutMs;
  let snapshot = await view.getTreeSnapshot({ settle });
  while (!check(snapshot)) {
    if (Date.now() > deadline) {
      assert.fail(`the tree did not get there in ${timeoutMs} ms: ${JSON.stringify(snapshot.groups.map((g) => [g.label, g.items.map((i) => i.label)]))}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    snapshot = await view.getTreeSnapshot({ settle });
  }
  return snapshot;
}

async function waitUntil(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !check(); await new Promise((resolve) => setTimeout(resolve, 50))) {
    if (Date.now() > deadline) {
      assert.fail(`${what} did not happen within ${timeoutMs} ms`);
    }
  }
}

function groupOf(label: string): (snapshot: TreeSnapshot) => string | undefined {
  return (snapshot) => locate(snapshot, label)?.group.label;
}

async function newSession(name: string): Promise<SessionRef> {
  const ref = await run<SessionRef | undefined>('multichat.newSession', { folder: folder.uri.toString(), title: title(name), open: false });
  assert.ok(ref, 'New Session returned no reference');
  return ref;
}

suite('Sessions tree', function () {
  this.timeout(60_000);

  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension<{ sessionsView?: SessionsViewApi }>(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is not installed`);
    const api = await extension.activate();
    assert.ok(api?.sessionsView, 'activate() must return { sessionsView }');
    view = api.sessionsView;
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.ok(folders.length > 0, 'the test workspace must have a folder');
    folder = folders[0];
    // A second store on the same location plays the CLI or another window.
    outside = await openStore(storeSpecForFolder(folder));
    scratch = await mkdtemp(join(tmpdir(), 'multichat-tree-'));
    await run('multichat.groupSessionsByDate');
    await run('multichat.clearTagFilter');
  });

  suiteTeardown(async () => {
    await run('multichat.groupSessionsByDate');
    await run('multichat.clearTagFilter');
    for (const summary of (await outside?.list()) ?? []) {
      if (summary.title.startsWith(PREFIX)) {
        await outside.delete(summary.id);
      }
    }
    await outside?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  test('New Session creates a session that shows under Today with its count and age', async () => {
    const ref = await newSession('fresh');
    assert.equal(ref.folder, folder.uri.toString());
    const snapshot = await waitForTree((s) => groupOf(title('fresh'))(s) === 'Today');
    const found = locate(snapshot, title('fresh'));
    assert.equal(found?.group.expanded, true);
    assert.match(found?.item.description ?? '', /^0 messages · just now/);
    assert.equal(found?.item.contextValue, 'session');
    assert.equal(found?.item.icon, 'comment-discussion');
    assert.deepEqual(found?.item.ref, ref);
  });

  test('a session written by another process appears by itself, in the right date group', async () => {
    const old = new Date(Date.now() - 30 * DAY).toISOString();
    const yesterday = new Date(new Date().setHours(0, 0, 0, 0) - DAY / 2).toISOString();
    await outside.create({ title: title('old'), createdAt: old, updatedAt: old });
    await outside.create({ title: title('yesterday'), createdAt: yesterday, updatedAt: yesterday });
    // Within about a second, with nothing but the store's change events to go on.
    const arrived = (s: TreeSnapshot): boolean => groupOf(title('old'))(s) === 'Older' && groupOf(title('yesterday'))(s) === 'Yesterday';
    const snapshot = await waitForTree(arrived, 2000, false);
    assert.equal(locate(snapshot, title('old'))?.group.expanded, false, 'Older starts collapsed');
  });

  test('an outside delete disappears by itself', async () => {
    const created = await outside.create({ title: title('doomed') });
    await waitForTree((s) => locate(s, title('doomed')) !== undefined);
    await outside.delete(created.id);
    await waitForTree((s) => locate(s, title('doomed')) === undefined, 2000, false);
  });

  test('a message written elsewhere shows in the rows the view draws, whether the row moves or stays', async () => {
    // Live updates redraw single rows or a single group, no longer the whole tree: what the workbench
    // draws must still follow, not only what the provider answers.
    const first = await newSession('written to');
    await newSession('written after it');
    await run('multichat.sessions.focus');
    const rowSays = (name: string, count: string) => (rows: ElementInfo[]): boolean =>
      rows.some((row) => (row.ariaLabel ?? '').startsWith(`${title(name)}, ${count},`));
    await waitForWorkbench(SESSION_ROWS, rowSays('written to', '0 messages'));
    await outside.appendMessages(first.sessionId, [{ role: 'user', content: 'moves it to the top of Today' }]);
    await waitForWorkbench(SESSION_ROWS, rowSays('written to', '1 message'));
    const today = (await waitForTree((s) => locate(s, title('written to'))?.item.description?.startsWith('1 message') === true)).groups.find((g) => g.label === 'Today');
    const order = today?.items.map((item) => item.label).filter((label) => label.startsWith(title('written'))) ?? [];
    assert.deepEqual(order, [title('written to'), title('written after it')]);
    await outside.appendMessages(first.sessionId, [{ role: 'assistant', content: 'stays on top' }]);
    await waitForWorkbench(SESSION_ROWS, (rows) => rowSays('written to', '2 messages')(rows) && rowSays('written after it', '0 messages')(rows));
  });

  test('Rename, Pin and Unpin take arguments instead of prompts', async () => {
    const ref = await newSession('to rename');
    await run('multichat.renameSession', ref, title('renamed'));
    await waitForTree((s) => locate(s, title('renamed')) !== undefined && locate(s, title('to rename')) === undefined);
    await run('multichat.pinSession', ref);
    let snapshot = await waitForTree((s) => groupOf(title('renamed'))(s) === 'Pinned');
    assert.equal(locate(snapshot, title('renamed'))?.item.contextValue, 'session.pinned');
    assert.equal(locate(snapshot, title('renamed'))?.item.icon, 'pinned');
    assert.equal(snapshot.groups[0].label, 'Pinned', 'Pinned comes first');
    await run('multichat.unpinSession', ref);
    snapshot = await waitForTree((s) => groupOf(title('renamed'))(s) === 'Today');
    assert.equal(locate(snapshot, title('renamed'))?.item.contextValue, 'session');
  });

  test('tags: add, group by tag, filter, clear, remove', async () => {
    const tag = `t${Date.now()}`;
    const ref = await newSession('tagged');
    await newSession('untagged');
    await run('multichat.addTag', ref, tag);
    await waitForTree((s) => locate(s, title('tagged'))?.item.contextValue === 'session.tagged');

    await run('multichat.groupSessionsByTag');
    let snapshot = await waitForTree((s) => groupOf(title('tagged'))(s) === tag);
    assert.equal(groupOf(title('untagged'))(snapshot), 'Untagged');

    assert.deepEqual(await run('multichat.filterByTag', tag), [tag]);
    snapshot = await waitForTree((s) => s.description === `tag: ${tag}`);
    assert.deepEqual(snapshot.groups.map((g) => g.label), [tag]);
    assert.equal(locate(snapshot, title('untagged')), undefined);

    await run('multichat.groupSessionsByDate');
    snapshot = await waitForTree((s) => groupOf(title('tagged'))(s) === 'Today');
    assert.equal(locate(snapshot, title('untagged')), undefined, 'the filter also applies when grouped by date');

    await run('multichat.clearTagFilter');
    await waitForTree((s) => s.description === undefined && locate(s, title('untagged')) !== undefined);

    await run('multichat.removeTag', ref, tag);
    await waitForTree((s) => locate(s, title('tagged'))?.item.contextValue === 'session');
    await run('multichat.filterByTag', tag);
    snapshot = await waitForTree((s) => s.status === 'filteredEmpty');
    assert.deepEqual(snapshot.groups, []);
    await run('multichat.filterByTag', '');
    await waitForTree((s) => s.status === 'ready');
  });

  test('tags show on the items when grouped by date', async () => {
    const ref = await newSession('tags by date');
    await run('multichat.addTag', ref, 'shown-by-date');
    const snapshot = await waitForTree((s) => locate(s, title('tags by date'))?.item.contextValue === 'session.tagged');
    assert.match(locate(snapshot, title('tags by date'))?.item.description ?? '', /#shown-by-date$/);
  });

  test('the view filters by several tags at once (any of them)', async () => {
    const [one, two] = [`one${Date.now()}`, `two${Date.now()}`];
    await run('multichat.addTag', await newSession('tag one'), one);
    await run('multichat.addTag', await newSession('tag two'), two);
    await newSession('tag none');
    assert.deepEqual(await run('multichat.filterByTag', [one, two]), [one, two]);
    const snapshot = await waitForTree((s) => s.description === `tags: ${one}, ${two}`);
    assert.ok(locate(snapshot, title('tag one')) && locate(snapshot, title('tag two')), 'both tags show');
    assert.equal(locate(snapshot, title('tag none')), undefined);
    assert.match(snapshot.message ?? '', new RegExp(`tagged "${one}" or "${two}"`));
    await run('multichat.clearTagFilter');
    await waitForTree((s) => s.description === undefined);
  });

  test('Pinned stays on top when grouped by tag', async () => {
    const ref = await newSession('pinned by tag');
    await run('multichat.pinSession', ref);
    await run('multichat.groupSessionsByTag');
    try {
      const snapshot = await waitForTree((s) => s.groups[0]?.label === 'Pinned' && locate(s, title('pinned by tag')) !== undefined);
      assert.ok(snapshot.groups[0].items.some((item) => item.label === title('pinned by tag')));
      assert.equal(snapshot.groups[0].expanded, true);
    } finally {
      await run('multichat.groupSessionsByDate');
      await run('multichat.unpinSession', ref);
    }
  });

  test('an expanded group stays expanded after filtering and regrouping', async () => {
    const old = new Date(Date.now() - 60 * DAY).toISOString();
    const tag = `keep${Date.now()}`;
    const created = await outside.create({ title: title('kept open'), createdAt: old, updatedAt: old, tags: [tag] });
    await run('multichat.sessions.focus');
    let snapshot = await waitForTree((s) => groupOf(title('kept open'))(s) === 'Older');
    const older = snapshot.groups.find((g) => g.label === 'Older')!;
    await view.expandGroup(older.id);
    const olderRowExpanded = (rows: ElementInfo[]): boolean => rows.some((row) => (row.ariaLabel ?? row.text).startsWith('Older'));
    await waitForWorkbench(EXPANDED_ROWS, olderRowExpanded);
    await run('multichat.filterByTag', tag);
    await waitForTree((s) => s.description === `tag: ${tag}`);
    await run('multichat.clearTagFilter');
    await run('multichat.groupSessionsByTag');
    await waitForTree((s) => groupOf(title('kept open'))(s) === tag);
    await run('multichat.groupSessionsByDate');
    snapshot = await waitForTree((s) => groupOf(title('kept open'))(s) === 'Older');
    assert.equal(snapshot.groups.find((g) => g.label === 'Older')?.expanded, true);
    // What the workbench shows, not only what the provider answers.
    await waitForWorkbench(EXPANDED_ROWS, olderRowExpanded);
    await outside.delete(created.id);
  });

  test('the tooltip shows plain text, with code blocks as code', async () => {
    const ref = await newSession('tooltip');
    await outside.appendMessages(ref.sessionId, [{ role: 'assistant', content: '## Fix\n\nUse **this**:\n\n```js\nconst x = 1;\n```' }]);
    await waitForTree((s) => locate(s, title('tooltip'))?.item.description?.startsWith('1 message') === true);
    const tooltip = (await view.tooltipFor(ref)) ?? '';
    assert.match(tooltip, /```js\nconst x = 1;\n```/);
    assert.ok(!tooltip.includes('\\*\\*') && !tooltip.includes('\\#\\#'), `raw Markdown in the tooltip: ${tooltip}`);
    assert.match(tooltip, /Use(&nbsp;| )this:/);
  });

  test('selection follows the active chat tab, in the visible view', async () => {
    const first = await newSession('followed one');
    const second = await newSession('followed two');
    await waitForTree((s) => locate(s, title('followed two')) !== undefined);
    await run('multichat.sessions.focus');
    const selected = (ref: SessionRef) => (): boolean => view.selectedRefs().some((each) => each.sessionId === ref.sessionId);
    try {
      await run('multichat.openSession', first);
      await waitUntil('the first session to be selected', selected(first));
      await run('multichat.openSession', second);
      await waitUntil('the second session to be selected', selected(second));
      await run('multichat.openSession', first); // back to the first tab
      await waitUntil('the first session to be selected again', selected(first));
    } finally {
      await run('workbench.action.closeAllEditors');
    }
  });

  test('Export writes a bundle that Import reads back, idempotently', async () => {
    const ref = await newSession('exported');
    await outside.appendMessages(ref.sessionId, [{ role: 'user', content: 'hello from the export test' }]);
    const file = join(scratch, 'export.json');
    const written = await run<string | undefined>('multichat.exportSessions', ref, { format: 'json', uri: vscode.Uri.file(file) });
    assert.equal(written, vscode.Uri.file(file).toString());
    const [session] = parseBundle(await readFile(file, 'utf8'));
    assert.equal(session.title, title('exported'));
    assert.equal(session.messages.length, 1);

    assert.equal(await run('multichat.deleteSession', ref, { confirm: false }), 1);
    await waitForTree((s) => locate(s, title('exported')) === undefined);
    const options = { folder: folder.uri.toString() };
    const counts = (report: ImportReport | undefined) => report && { imported: report.imported, updated: report.updated, unchanged: report.unchanged };
    assert.deepEqual(counts(await run('multichat.importSessions', vscode.Uri.file(file), options)), { imported: 1, updated: 0, unchanged: 0 });
    await waitForTree((s) => locate(s, title('exported'))?.item.description?.startsWith('1 message') === true);
    assert.deepEqual(counts(await run('multichat.importSessions', file, options)), { imported: 0, updated: 0, unchanged: 1 });
  });

  test('Export as Markdown and Copy as Markdown render the conversation', async () => {
    const ref = await newSession('markdown');
    await outside.appendMessages(ref.sessionId, [{ role: 'assistant', content: 'a *markdown* answer' }]);
    const file = join(scratch, 'session.md');
    await run('multichat.exportSessions', ref, { format: 'markdown', uri: file });
    assert.match(await readFile(file, 'utf8'), new RegExp(`^# ${title('markdown')}[\\s\\S]*a \\*markdown\\* answer`));
    const copied = await run<string | undefined>('multichat.copySessionAsMarkdown', ref);
    assert.match(copied ?? '', /## Assistant[\s\S]*a \*markdown\* answer/);
  });

  test('Search Sessions finds a message and points at it', async () => {
    const word = `needle${Date.now()}`;
    const ref = await newSession('searched');
    const [message] = await outside.appendMessages(ref.sessionId, [{ role: 'user', content: `where is the ${word}?` }]);
    const found = await run<SessionRef[]>('multichat.searchSessions', word, { pick: false });
    assert.deepEqual(found, [{ ...ref, messageId: message.id }]);
  });

  test('Delete removes every session of a multi-selection', async () => {
    const first = await newSession('delete one');
    const second = await newSession('delete two');
    assert.equal(await run('multichat.deleteSession', [first, second], { confirm: false }), 2);
    await waitForTree((s) => locate(s, title('delete one')) === undefined && locate(s, title('delete two')) === undefined);
  });

  test('a long group is paged, and Show More reveals the next page', async () => {
    const old = new Date(Date.now() - 400 * DAY).toISOString();
    for (let index = 0; index < PAGE_SIZE + 5; index++) {
      await outside.create({ title: title(`bulk ${String(index).padStart(3, '0')}`), createdAt: old, updatedAt: old });
    }
    let snapshot = await waitForTree((s) => (s.groups.find((g) => g.label === 'Older')?.items.length ?? 0) === PAGE_SIZE + 1);
    const older = snapshot.groups.find((g) => g.label === 'Older');
    assert.match(older?.items.at(-1)?.label ?? '', /^Show [\d,]+ more…$/);
    await run('multichat.showMoreSessions', older?.id);
    snapshot = await view.getTreeSnapshot();
    const shown = snapshot.groups.find((g) => g.label === 'Older')?.items ?? [];
    assert.ok(shown.length > PAGE_SIZE + 1, `still ${shown.length} items after Show More`);
  });

  test('Refresh and Collapse All run without prompts', async () => {
    await run('multichat.refreshSessions');
    await run('multichat.collapseAllSessions');
    const snapshot = await view.getTreeSnapshot();
    assert.equal(snapshot.status, 'ready');
  });

  test('Switch Storage Backend moves the folder to SQLite with its sessions, and back', async () => {
    const ref = await newSession('migrated');
    const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('multichat.storage', folder.uri);
    try {
      const toSqlite = await run<{ switched: boolean; migration?: { total: number; cancelled: boolean } }>('multichat.switchStorageBackend', {
        folder: folder.uri.toString(),
        backend: 'sqlite',
        migrate: true,
      });
      assert.equal(toSqlite?.switched, true);
      assert.equal(toSqlite?.migration?.cancelled, false);
      assert.equal(settings().get('backend'), 'sqlite');
      const snapshot = await waitForTree((s) => locate(s, title('migrated')) !== undefined);
      assert.deepEqual(locate(snapshot, title('migrated'))?.item.ref, ref);
      // The JSON copy was moved aside after the first switch: back to JSON, the sessions come along by copy.
      const back = await run<{ switched: boolean }>('multichat.switchStorageBackend', { folder: folder.uri.toString(), backend: 'json', migrate: true });
      assert.equal(back?.switched, true);
      await waitForTree((s) => locate(s, title('migrated')) !== undefined);
    } finally {
      await settings().update('backend', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    }
  });
});
