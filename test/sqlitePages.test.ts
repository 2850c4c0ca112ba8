import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import initSqlJs from 'sql.js';
import { readMessageAt, readVersions } from '../src/stores/sqlite/database/sessionRows';
import { Statements } from '../src/stores/sqlite/database/statements';
import { STALE, messagesFromFile } from '../src/stores/sqlite/pages/fileMessages';
import { SqliteStoreOptions, openSqliteStore } from '../src/stores/sqlite/sqliteStore';
import { makeTempDir } from './helpers/tempDir';

// A cold search reads its hits' messages straight from the database file's pages
// (sqlite/pages/), without loading the database: the same messages sql.js reads, across
// multi-level trees and overflow chains, only where the file holds the session at the version
// asked, and nothing it cannot vouch for from a damaged file. And a fresh process's search that
// finds its index up to date answers without loading the database at all.

const SESSIONS = 300;

function contentOf(session: number, message: number): string {
  // Every 37th message spills over several overflow pages (pages are 8 KiB).
  const filler = (session + message) % 37 === 0 ? 'overflowing text '.repeat(2_000) : 'filler '.repeat(20);
  return `session${session} message${message} ${message % 3 === 0 ? 'quartz' : 'basalt'} ${filler}`;
}

describe('reading a SQLite store from its pages', { timeout: 120_000 }, () => {
  const dir = makeTempDir();
  const file = join(dir.path, 'pages.sqlite');
  const files = { database: file, journal: `${file}.journal` };
  const ids: string[] = [];
  const open = (options: SqliteStoreOptions = {}): ReturnType<typeof openSqliteStore> => openSqliteStore(file, { watch: false, ...options });

  before(async () => {
    const store = await open();
    for (let s = 0; s < SESSIONS; s++) {
      const messages = Array.from({ length: 12 }, (_, m) => ({ role: m % 2 === 0 ? ('user' as const) : ('assistant' as const), content: contentOf(s, m) }));
      ids.push((await store.create({ title: `Pages ${s}`, messages })).id);
    }
    await store.snapshotNow();
    await store.close();
  });
  after(() => dir.cleanup());

  async function loaded(path = file): Promise<Statements> {
    const sqlJs = await initSqlJs();
    return new Statements(new sqlJs.Database(readFileSync(path)));
  }

  it('reads the same messages sql.js does, through every level and overflow chain', async () => {
    const sql = await loaded();
    const versions = readVersions(sql);
    const places = ids.flatMap((id, s) => [0, 5, 11, 12].map((position) => ({ id, position: (position + s) % 13, version: versions.get(id) ?? '' })));
    const fromPages = messagesFromFile(files, places);
    assert.deepEqual(fromPages, places.map((place) => readMessageAt(sql, place.id, place.position)));
    assert.ok(fromPages.some((message) => typeof message === 'object' && message.content.includes('overflowing')), 'some read through overflow pages');
    assert.ok(fromPages.includes(undefined), 'a position past the end is no message');
    sql.db.close();
  });

  it('answers stale where the file holds another version, or not the session', async () => {
    const sql = await loaded();
    const version = readVersions(sql).get(ids[3]) ?? '';
    assert.deepEqual(messagesFromFile(files, [
      { id: ids[3], position: 0, version: `${version}x` },
      { id: 'NOSUCHSESSION0000000000', position: 0, version },
      { id: ids[3], position: 0, version },
    ]).map((message) => (message === STALE ? 'stale' : 'message')), ['stale', 'stale', 'message']);
    sql.db.close();
  });

  it('vouches for nothing in a file it cannot read: missing, foreign, cut short or scrambled', () => {
    const good = readFileSync(file);
    const places = ids.slice(0, 40).map((id) => ({ id, position: 1, version: 'any' }));
    const damaged = join(dir.path, 'damaged.sqlite');
    const cases: [string, Buffer | undefined][] = [
      ['missing', undefined],
      ['foreign', Buffer.from('not a database at all, just some text that goes on for a while')],
      ['cut short', good.subarray(0, 3 * 8192 + 100)],
      ['scrambled', Buffer.from(good.map((byte, at) => (at > 8192 && at % 7 === 0 ? byte ^ 0x5a : byte)))],
    ];
    for (const [name, bytes] of cases) {
      if (bytes) {
        writeFileSync(damaged, bytes);
      }
      const path = bytes ? damaged : join(dir.path, 'missing.sqlite');
      assert.ok(messagesFromFile({ database: path, journal: files.journal }, places).every((message) => message === STALE), name);
    }
  });

  it('brings a session the file holds at an older version forward through the journal, unless it was reordered', async () => {
    const store = await open();
    const [appended] = await store.appendMessages(ids[7], [{ role: 'user', content: 'written after the snapshot' }]);
    await store.updateMessage(ids[7], appended.id, { content: 'written after the snapshot, then edited' });
    const fresh = await store.create({ title: 'Born after the snapshot', messages: [{ role: 'user', content: 'newborn' }] });
    const [reordered] = [ids[8]];
    const before = (await store.get(reordered))?.messages ?? [];
    await store.reorderMessages(reordered, [before[1].id, before[0].id, ...before.slice(2).map((message) => message.id)]);
    const expected = [(await store.get(ids[7]))?.messages.at(-1), (await store.get(fresh.id))?.messages[0]];
    await store.close();
    const lastRecordOf = (id: string): string => {
      const lines = readFileSync(files.journal, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { id: string; sessionId?: string; session?: { id: string } });
      return lines.filter((record) => (record.sessionId ?? record.session?.id) === id).at(-1)?.id ?? '';
    };
    const got = messagesFromFile(files, [
      { id: ids[7], position: 12, version: lastRecordOf(ids[7]) },
      { id: fresh.id, position: 0, version: lastRecordOf(fresh.id) },
      { id: reordered, position: 0, version: lastRecordOf(reordered) },
      { id: ids[7], position: 12, version: 'not the version' },
    ]);
    assert.deepEqual(got, [...expected, STALE, STALE]);
  });

  it('finds the file\'s mark in a journal rotated since the snapshot, and replays what follows it', async () => {
    const store = await open({ rotateJournalBytes: 1 });
    await store.appendMessages(ids[9], [{ role: 'user', content: 'before the second snapshot' }]);
    assert.ok(await store.snapshotNow()); // the file's mark is taken in this journal, which the snapshot then rotates
    const [later] = await store.appendMessages(ids[9], [{ role: 'assistant', content: 'after the rotation' }]);
    await store.close();
    const lines = readFileSync(files.journal, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { id: string; type: string; sessionId?: string });
    assert.equal(lines[0].type, 'rotated');
    const version = lines.filter((record) => record.sessionId === ids[9]).at(-1)?.id ?? '';
    const [message] = messagesFromFile(files, [{ id: ids[9], position: 13, version }]);
    assert.equal(message !== STALE && message?.id, later.id);
    assert.equal(message !== STALE && message?.content, 'after the rotation');
  });

  it('searches in a fresh process without loading the database, sessions changed since the snapshot included', async () => {
    const writer = await open();
    for (const id of ids.slice(20, 50)) {
      await writer.appendMessages(id, [{ role: 'assistant', content: 'quartz again, appended after the snapshot' }]);
    }
    const expected = await writer.search('quartz appended', { limit: 40 });
    await writer.close(); // 30 sessions read again: the index is saved with them
    assert.equal(expected.length, 30);
    const cold = await open({ loadInBackground: false });
    assert.deepEqual(await cold.search('quartz appended', { limit: 40 }), expected);
    assert.deepEqual(await cold.search('quartz', { limit: 60 }), await (async () => {
      const loadedStore = await open();
      await loadedStore.get(ids[0]);
      const hits = await loadedStore.search('quartz', { limit: 60 });
      await loadedStore.close();
      return hits;
    })());
    assert.equal(cold.databaseLoaded, false, 'the hits were read from the pages and the journal');
    await cold.close();
    const another = await open();
    await another.appendMessages(ids[60], [{ role: 'user', content: 'quartz from another process' }]);
    await another.close();
    const afterAppend = await open({ loadInBackground: false });
    assert.deepEqual((await afterAppend.search('quartz another process')).map((hit) => hit.sessionId), [ids[60]]);
    assert.equal(afterAppend.databaseLoaded, true, 'a session the index has not read yet is read from the database');
    await afterAppend.close();
  });
});
