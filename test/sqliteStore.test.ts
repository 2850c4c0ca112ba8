import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { StoreChange } from '../src/core/store';
import { SqliteStore, SqliteStoreOptions, openSqliteStore } from '../src/stores/sqlite/sqliteStore';
import { sessionStoreContract } from './contract/sessionStoreContract';
import { aMessage, aSession, someMessages } from './helpers/builders';
import { OpenedStores } from './helpers/stores';
import { makeTempDir, waitFor } from './helpers/tempDir';

sessionStoreContract(
  'sqlite',
  async () => {
    const temp = makeTempDir();
    const file = join(temp.path, 'store.sqlite');
    return { open: () => openSqliteStore(file), cleanup: async () => temp.cleanup() };
  },
  { durable: true },
);

describe('SQLite store specifics', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let file: string;
  const opened = new OpenedStores();
  const open = (options: SqliteStoreOptions = {}): Promise<SqliteStore> => opened.track(openSqliteStore(file, options));

  beforeEach(() => {
    temp = makeTempDir();
    file = join(temp.path, 'chats', 'store.sqlite');
  });
  afterEach(async () => {
    await opened.closeAll();
    temp.cleanup();
  });

  it('creates nothing on open; the first session creates the folder, the database file and the journal', async () => {
    const store = await open();
    assert.equal(store.spec, `sqlite:${file}`);
    assert.equal(existsSync(dirname(file)), false, 'opening leaves no folder behind');
    await store.create(aSession());
    assert.ok(existsSync(file));
    assert.ok(existsSync(`${file}.journal`));
    assert.deepEqual((await store.verify()).problems, []);
  });

  it('makes an append durable in the journal without rewriting the database file', async () => {
    const store = await open();
    const summary = await store.create(aSession({ messages: someMessages(3) }));
    await store.snapshotNow();
    const before = statSync(file);
    const journalBefore = statSync(`${file}.journal`).size;
    await store.appendMessages(summary.id, [aMessage({ content: 'only in the journal' })]);
    const after = statSync(file);
    assert.deepEqual([after.ino, after.size, after.mtimeMs], [before.ino, before.size, before.mtimeMs]);
    assert.ok(statSync(`${file}.journal`).size > journalBefore);
    assert.match(readFileSync(`${file}.journal`, 'utf8'), /only in the journal/);
  });

  it('replays the journal on reopen', async () => {
    const first = await open({ snapshotAfterOps: 1_000_000, snapshotIdleMs: 60_000 });
    const summary = await first.create(aSession({ title: 'Journal only' }));
    await first.appendMessages(summary.id, someMessages(4, 'replayed'));
    await first.update(summary.id, { pinned: true });
    // A second process reading the files while the first never snapshotted.
    const second = await open({ loadInBackground: false });
    assert.equal((await second.get(summary.id))?.messages.length, 4);
    assert.equal((await second.list())[0].pinned, true);
    assert.equal((await second.search('replayed'))[0]?.sessionId, summary.id);
  });

  it('snapshots after enough operations, rotates the journal and keeps everything on reopen', async () => {
    const store = await open({ snapshotAfterOps: 5, rotateJournalBytes: 1 });
    const summary = await store.create(aSession({ title: 'Rotated' }));
    const appendSome = async (from: number): Promise<void> => {
      for (let i = from; i < from + 10; i++) {
        await store.appendMessages(summary.id, [aMessage({ content: `rotation message ${i}` })]);
      }
    };
    const initialInode = statSync(file).ino;
    await appendSome(0);
    await waitFor(() => existsSync(`${file}.bak`) && statSync(file).ino !== initialInode, 3_000);
    const firstSnapshotInode = statSync(file).ino;
    await appendSome(10);
    await waitFor(() => statSync(`${file}.bak`).ino === firstSnapshotInode, 3_000);
    await waitFor(() => readFileSync(`${file}.journal`, 'utf8').startsWith('{"type":"rotated"'), 3_000);
    assert.ok(!readFileSync(`${file}.journal`, 'utf8').includes('"type":"create"'), 'the create is now only in the snapshot and its backup');
    await appendSome(20);
    await store.close();
    const reopened = await open();
    const session = await reopened.get(summary.id);
    assert.deepEqual(session?.messages.map((m) => m.content), Array.from({ length: 30 }, (_, i) => `rotation message ${i}`));
    assert.deepEqual((await reopened.verify()).problems, []);
  });

  it('lists from the summaries sidecar before the database has loaded', async () => {
    const writer = await open();
    const kept = await writer.create(aSession({ title: 'In the sidecar', messages: someMessages(2) }));
    await writer.close();
    const later = await open();
    const added = await later.create(aSession({ title: 'Only in the journal' }));
    await later.close();
    const reader = await open({ loadInBackground: false });
    const listed = await reader.list();
    assert.equal(reader.databaseLoaded, false);
    assert.deepEqual(listed.map((s) => s.id), [added.id, kept.id]);
    assert.equal(listed[1].messageCount, 2);
    await reader.get(kept.id);
    assert.equal(reader.databaseLoaded, true);
  });

  it('keeps every message, in each writer\'s order, when three processes append at once', async () => {
    const store = await open({ snapshotAfterOps: 40, rotateJournalBytes: 1 });
    const summary = await store.create(aSession({ title: 'Shared by processes' }));
    const changes: StoreChange[] = [];
    store.onDidChange((change) => changes.push(change));
    const writers = ['a', 'b', 'c'].map((writer) =>
      spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'sqlite', 'appendMany.ts'), file, summary.id, writer, '60'], {
        stdio: ['ignore', 'ignore', 'inherit'],
      }),
    );
    const codes = await Promise.all(writers.map(async (child) => ((await once(child, 'exit')) as [number])[0]));
    assert.deepEqual(codes, [0, 0, 0]);
    await waitFor(async () => (await store.list())[0]?.messageCount === 180, 3_000);
    const contents = (await store.get(summary.id))?.messages.map((m) => m.content) ?? [];
    for (const writer of ['a', 'b', 'c']) {
      assert.deepEqual(contents.filter((c) => c.startsWith(`${writer}-`)), Array.from({ length: 60 }, (_, i) => `${writer}-${i}`));
    }
    assert.ok(changes.some((change) => change.external), 'the other processes\' appends arrive as external changes');
    const fresh = await open({ loadInBackground: false });
    assert.deepEqual((await fresh.get(summary.id))?.messages.map((m) => m.content), contents, 'a fresh reader sees the same order');
    assert.deepEqual((await store.verify()).problems, []);
  });

  it('takes writes before the database has loaded, and the database then agrees', async () => {
    const writer = await open();
    const summary = await writer.create(aSession());
    await writer.close();
    const store = await open({ loadInBackground: false });
    await store.appendMessages(summary.id, someMessages(3));
    await store.update(summary.id, { addTags: ['early'] });
    assert.equal(store.databaseLoaded, false);
    assert.equal((await store.list())[0].messageCount, 3);
    assert.equal((await store.get(summary.id))?.messages.length, 3);
    assert.deepEqual((await store.list({ tag: 'early' })).map((s) => s.id), [summary.id]);
    assert.deepEqual((await store.verify()).problems, []);
  });
});
