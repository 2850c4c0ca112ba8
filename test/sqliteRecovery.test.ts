import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, existsSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { fileHeaderProblem } from '../src/stores/sqlite/database/databaseFile';
import { SqliteStore, SqliteStoreOptions, openSqliteStore } from '../src/stores/sqlite/sqliteStore';
import { readSidecar } from '../src/stores/sqlite/snapshot/summarySidecar';
import { aMessage, aSession, someMessages } from './helpers/builders';
import { OpenedStores } from './helpers/stores';
import { makeTempDir, waitFor } from './helpers/tempDir';

describe('SQLite store recovery', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let file: string;
  let journal: string;
  const opened = new OpenedStores();
  const open = (options: SqliteStoreOptions = {}): Promise<SqliteStore> => opened.track(openSqliteStore(file, options));
  const closeAll = (): Promise<void> => opened.closeAll();
  const quarantined = (): string[] => (existsSync(join(temp.path, 'quarantine')) ? readdirSync(join(temp.path, 'quarantine')) : []);

  /** Two snapshots (so a .bak exists), then changes that only the journal holds. */
  async function storeWithBackupAndJournal(): Promise<{ ids: string[]; grown: string }> {
    const store = await open();
    const a = await store.create(aSession({ title: 'Snapshotted twice', messages: someMessages(3) }));
    await store.snapshotNow();
    const b = await store.create(aSession({ title: 'Snapshotted once' }));
    await store.snapshotNow();
    await closeAll();
    const journalOnly = await open({ loadInBackground: false });
    await journalOnly.appendMessages(a.id, someMessages(2, 'journal only'));
    const c = await journalOnly.create(aSession({ title: 'Journal only' }));
    assert.equal(journalOnly.databaseLoaded, false, 'these changes never reach a snapshot');
    await closeAll();
    return { ids: [c.id, a.id, b.id], grown: a.id };
  }

  async function assertRecovered(expected: { ids: string[]; grown: string }, corruptBytes: Buffer): Promise<void> {
    const store = await open();
    assert.deepEqual((await store.list()).map((s) => s.id), expected.ids);
    assert.deepEqual((await store.get(expected.grown))?.messages.map((m) => m.content), [
      ...['message number 0', 'message number 1', 'message number 2'],
      ...['journal only number 0', 'journal only number 1'],
    ]);
    assert.ok(store.warnings.some((w) => /corrupt/.test(w)), `warned: ${store.warnings.join('; ')}`);
    assert.ok(store.warnings.some((w) => w.includes(`recovered from ${file}.bak`)));
    const kept = quarantined().filter((name) => name.startsWith('store.sqlite.corrupt-'));
    assert.equal(kept.length, 1);
    assert.deepEqual(readFileSync(join(temp.path, 'quarantine', kept[0])), corruptBytes, 'the corrupt file is kept as it was');
    await waitFor(() => existsSync(file) && fileHeaderProblem(file) === undefined, 3_000);
    const report = await store.verify();
    assert.ok(report.problems.some((p) => /corrupt/.test(p.what)), 'verify reports the recovery');
    assert.ok((await store.verify({ repair: true })).repairs.length > 0);
    assert.deepEqual((await store.verify()).problems, []);
  }

  beforeEach(() => {
    temp = makeTempDir();
    file = join(temp.path, 'store.sqlite');
    journal = `${file}.journal`;
  });
  afterEach(async () => {
    await closeAll();
    temp.cleanup();
  });

  it('falls back to the backup and the journal when the database file is garbage', async () => {
    const expected = await storeWithBackupAndJournal();
    const garbage = Buffer.from('this is not a database '.repeat(400));
    writeFileSync(file, garbage);
    await assertRecovered(expected, garbage);
  });

  it('falls back to the backup and the journal when the database file is truncated', async () => {
    const expected = await storeWithBackupAndJournal();
    truncateSync(file, Math.floor(statSync(file).size / 2) + 100);
    await assertRecovered(expected, readFileSync(file));
  });

  it('rebuilds a deleted summaries sidecar', async () => {
    const store = await open();
    const summary = await store.create(aSession({ messages: someMessages(2) }));
    await closeAll();
    rmSync(`${file}.summaries.json`);
    const reopened = await open();
    assert.deepEqual((await reopened.list()).map((s) => [s.id, s.messageCount]), [[summary.id, 2]]);
    await waitFor(() => readSidecar(`${file}.summaries.json`).ok, 3_000);
    assert.deepEqual((await reopened.verify()).problems, []);
  });

  it('finds a wrong sidecar, rebuilds it and an unreadable search index, and searches rightly throughout', async () => {
    const store = await open();
    const summary = await store.create(aSession({ title: 'Indexed', messages: [{ role: 'user', content: 'the zeppelin landed' }] }));
    assert.equal(await store.snapshotNow(), true);
    assert.equal((await store.search('zeppelin'))[0]?.sessionId, summary.id);
    await closeAll();
    writeFileSync(`${file}.search-index.bin`, 'MCWORDS1 and then nothing of an index');
    const first = await open();
    assert.equal((await first.search('zeppelin'))[0]?.sessionId, summary.id, 'an unreadable index is built again');
    await closeAll();
    writeFileSync(`${file}.search-index.bin`, 'MCWORDS1 damaged again');
    const sidecar = JSON.parse(readFileSync(`${file}.summaries.json`, 'utf8')) as { rows: unknown[][] };
    sidecar.rows[0][7] = 42;
    writeFileSync(`${file}.summaries.json`, JSON.stringify(sidecar));

    const reopened = await open();
    assert.equal((await reopened.list())[0].messageCount, 42, 'a fresh process trusts a well-formed sidecar until verify');
    const found = (await reopened.verify()).problems.map((p) => p.what);
    assert.ok(found.some((what) => /sidecar disagrees/.test(what)), found.join('; '));
    const { repairs } = await reopened.verify({ repair: true });
    assert.ok(repairs.some((repair) => repair.startsWith('rebuilt the search index from 1 sessions: its file could not be read')), repairs.join('; '));
    assert.deepEqual((await reopened.verify()).problems, []);
    assert.equal((await reopened.search('zeppelin'))[0]?.sessionId, summary.id);
    assert.equal(readSidecar(`${file}.summaries.json`).ok && (await reopened.list())[0].messageCount, 1);
  });

  it('reports a corrupt journal line by number, applies the other records, and repairs', async () => {
    const store = await open();
    const summary = await store.create(aSession());
    await closeAll();
    const writer = await open({ loadInBackground: false });
    for (const content of ['before the damage', 'after the damage', 'well after the damage']) {
      await writer.appendMessages(summary.id, [aMessage({ content })]);
    }
    await closeAll();
    const lines = readFileSync(journal, 'utf8').split('\n');
    const damaged = lines.findIndex((line) => line.includes('after the damage'));
    lines.splice(damaged, 0, '{"type":"append","id":"broken", this is not JSON');
    writeFileSync(journal, lines.join('\n'));

    const reopened = await open();
    const contents = (await reopened.get(summary.id))?.messages.map((m) => m.content);
    assert.deepEqual(contents, ['before the damage', 'after the damage', 'well after the damage']);
    const report = await reopened.verify();
    assert.deepEqual(report.problems.map((p) => p.where), [`${journal}:${damaged + 1}`]);
    await reopened.verify({ repair: true });
    assert.deepEqual((await reopened.verify()).problems, []);
    assert.ok(!readFileSync(journal, 'utf8').includes('this is not JSON'));
    assert.ok(quarantined().some((name) => name.startsWith('store.sqlite.journal.corrupt-')), 'the damaged journal is kept');
    assert.equal((await reopened.get(summary.id))?.messages.length, 3);
  });

  it('treats a torn last journal line from a crash as never written, and verifies clean', async () => {
    const store = await open();
    const summary = await store.create(aSession({ messages: someMessages(1) }));
    await closeAll();
    appendFileSync(journal, `{"type":"append","id":"torn-record","sessionId":"${summary.id}","messages":[{"id":"m-torn","role":"us`);
    const reopened = await open();
    assert.equal((await reopened.get(summary.id))?.messages.length, 1);
    assert.deepEqual((await reopened.verify()).problems, []);
    await reopened.appendMessages(summary.id, [aMessage({ content: 'after the crash' })]);
    assert.deepEqual((await reopened.get(summary.id))?.messages.map((m) => m.content), ['message number 0', 'after the crash']);
    assert.deepEqual((await reopened.verify()).problems, []);
  });

  it('keeps every acknowledged message when the writer is killed with SIGKILL', async () => {
    const store = await open();
    const summary = await store.create(aSession());
    await closeAll();
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'sqlite', 'appendUntilKilled.ts'), file, summary.id], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    await waitFor(() => output.split('\n').length > 80, 20_000);
    child.kill('SIGKILL');
    await once(child, 'exit');
    const acked = output.split('\n').slice(0, -1);
    const reopened = await open();
    const present = new Set((await reopened.get(summary.id))?.messages.map((m) => m.id));
    assert.deepEqual(acked.filter((id) => !present.has(id)), []);
    assert.deepEqual((await reopened.verify()).problems, []);
  });

  it('replays reorders from the journal after their writer was killed, the index following the moved messages', async () => {
    const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
    const store = await open();
    const messages = words.map((word, i) => aMessage({ id: `m${i}`, content: `zeppelin ${word}` }));
    const summary = await store.create(aSession({ messages }));
    await closeAll();
    const snapshotted = statSync(file).mtimeMs;
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'sqlite', 'reorderThenWait.ts'), file, summary.id], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    await waitFor(() => output.includes('acked'), 20_000);
    child.kill('SIGKILL');
    await once(child, 'exit');
    assert.equal(statSync(file).mtimeMs, snapshotted, 'only the journal holds the reorders');
    const expected = ['late', 'm5', 'm3', 'm1', 'm0', 'm2', 'm4'];
    for (const loadInBackground of [true, false]) {
      const reopened = await open({ loadInBackground });
      assert.deepEqual((await reopened.get(summary.id))?.messages.map((m) => m.id), expected);
      assert.deepEqual(await Promise.all(words.map(async (word) => (await reopened.search(word))[0]?.messageId)), words.map((_, i) => `m${i}`));
      const [hit] = await reopened.search('zeppelin');
      assert.deepEqual([hit?.messageId, hit?.score], ['m5', 6]);
      assert.deepEqual((await reopened.verify()).problems, []);
      await closeAll();
    }
  });

  it('never lets hostile search input reach FTS syntax', async () => {
    const store = await open();
    const tricky = 'use foo(bar) with "quoted" -minus* NEAR/3 a OR b AND c NOT d ^caret col:on \\back 100% a_b [x]';
    const summary = await store.create(aSession({ title: 'Plain title', messages: [{ role: 'user', content: tricky }] }));
    const hostile = ['NEAR', 'NEAR/2', 'a NEAR b', 'foo OR', 'AND', 'NOT', '-foo', '"unterminated', 'col:on', 'a'.repeat(500), '" OR 1=1 --'];
    for (const query of hostile) {
      const hits = await store.search(query);
      assert.ok(Array.isArray(hits), query);
    }
    // Without a letter or digit there is no word to search for: a clear error, never FTS syntax.
    for (const query of ['"', '""', "'", '*', '-', '(', ')', '()', '^', '\\', '%', '_', '[', '🚀', '* * *']) {
      await assert.rejects(store.search(query), /search needs at least one word/, query);
    }
    for (const query of ['foo(bar)', '"quoted"', '-minus*', 'NEAR/3', 'col:on', '100%', 'a_b', '[x]', '\\back', 'FOO(BAR) "QUOTED"']) {
      assert.equal((await store.search(query))[0]?.sessionId, summary.id, `finds ${query}`);
    }
    assert.equal((await store.search('"foo'))[0]?.sessionId, summary.id, 'an unfinished quote is the phrase being typed');
    assert.deepEqual(await store.search('"foo with"'), []);
  });
});
