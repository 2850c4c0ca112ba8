import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { openJsonStore } from '../src/stores/json/jsonStore';
import { loadSqlJs } from '../src/stores/sqlite/database/wasmLoader';
import { SqliteStore, SqliteStoreOptions, openSqliteStore } from '../src/stores/sqlite/sqliteStore';
import { aMessage, aSession } from './helpers/builders';
import { OpenedStores } from './helpers/stores';
import { makeTempDir } from './helpers/tempDir';

// Stores written before sessions had lastMessageAt and untitled keep opening, with the time
// lists sort by derived from the messages and every title kept as the user's.

const FIXTURES = join(__dirname, 'fixtures', 'json');
const DAY_1 = '2024-03-01T09:00:00.000Z';
const DAY_1_NOON = '2024-03-01T12:00:00.000Z';
const DAY_2 = '2024-03-02T09:00:00.000Z';
const DAY_3 = '2024-03-03T09:00:00.000Z';

describe('stores written before lastMessageAt and untitled', () => {
  let temp: ReturnType<typeof makeTempDir>;
  const opened = new OpenedStores();

  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(async () => {
    await opened.closeAll();
    temp.cleanup();
  });

  it('open a JSON store with an index of the old version, deriving the time from the messages', async () => {
    const directory = join(temp.path, 'store');
    mkdirSync(directory);
    const file = join(directory, 'fixture-good.jsonl');
    copyFileSync(join(FIXTURES, 'fixture-good.jsonl'), file);
    const stamp = statSync(file);
    const oldRow = ['Stale title', DAY_1, DAY_1, [], false, 'multichat', 9];
    const oldIndex = { version: 2, sessions: [['fixture-good', stamp.size, stamp.ino, stamp.mtimeMs, oldRow]] };
    writeFileSync(join(directory, 'index.json'), JSON.stringify(oldIndex));
    const store = await opened.track(openJsonStore(directory, { watch: false }));
    const [summary] = await store.list();
    assert.equal(summary.title, 'Parser performance', 'the old index is not trusted');
    assert.equal(summary.lastMessageAt, '2024-05-01T10:00:02.000Z', "the last message's time, not the later rename's");
    assert.ok(summary.updatedAt > summary.lastMessageAt);
    assert.equal(summary.untitled, false);
    assert.deepEqual((await store.verify()).problems, []);
  });

  it('open a SQLite database of schema 1 with an old journal and sidecar, and upgrade it', async () => {
    const file = join(temp.path, 'sessions.sqlite');
    const open = (options: SqliteStoreOptions = {}): Promise<SqliteStore> => opened.track(openSqliteStore(file, options));
    const store = await open();
    const old = await store.create(aSession({ title: 'Old', createdAt: DAY_1, messages: [aMessage({ createdAt: DAY_1 }), aMessage({ createdAt: DAY_2 })] }));
    const recent = await store.create(aSession({ title: 'Recent', createdAt: DAY_3 }));
    assert.equal(await store.snapshotNow(), true);
    await opened.closeAll();
    const journalOnly = await open({ loadInBackground: false });
    const late = await journalOnly.create(aSession({ title: 'Journal only', createdAt: DAY_1, messages: [aMessage({ createdAt: DAY_1_NOON })] }));
    await opened.closeAll();
    await downgradeToSchema1(file);

    const reopened = await open();
    const listed = await reopened.list();
    assert.deepEqual(
      listed.map((s) => [s.title, s.lastMessageAt, s.untitled]),
      [
        ['Recent', DAY_3, false],
        ['Old', DAY_2, false],
        ['Journal only', DAY_1_NOON, false],
      ],
    );
    await reopened.update(old.id, { title: 'Old, renamed', pinned: true });
    await reopened.appendMessages(late.id, [aMessage({ content: 'Not a title' })]);
    assert.deepEqual((await reopened.list()).map((s) => s.id), [late.id, recent.id, old.id]);
    assert.equal((await reopened.get(late.id))?.title, 'Journal only');
    assert.deepEqual((await reopened.verify()).problems, []);
    assert.equal(await reopened.snapshotNow(), true);
    const before = await reopened.list();
    await opened.closeAll();
    assert.equal(await schemaVersionOf(file), '3', 'the next snapshot writes the new schema');
    assert.deepEqual(await tablesOf(file), ['messages', 'meta', 'sessions', 'tags'], 'without the full-text tables');
    const upgraded = await open();
    assert.deepEqual(await upgraded.list(), before);
    assert.deepEqual((await upgraded.search('renamed')).map((hit) => hit.sessionId), [old.id]);
  });

  it('open a SQLite database of schema 2, with its full-text tables, and search it through the word index', async () => {
    const file = join(temp.path, 'sessions.sqlite');
    const store = await opened.track(openSqliteStore(file));
    const session = await store.create(aSession({ title: 'Before', messages: [aMessage({ content: 'a café in the old schema' })] }));
    assert.equal(await store.snapshotNow(), true);
    await opened.closeAll();
    const sqlJs = await loadSqlJs();
    const db = new sqlJs.Database(readFileSync(file));
    db.exec(`ALTER TABLE sessions DROP COLUMN last_op; ${FULL_TEXT_TABLES} UPDATE meta SET value = '2' WHERE key = 'schema_version';`);
    writeFileSync(file, db.export());
    db.close();
    const reopened = await opened.track(openSqliteStore(file));
    assert.deepEqual((await reopened.search('cafe')).map((hit) => hit.sessionId), [session.id], 'accents folded, as the old index did not');
    await reopened.appendMessages(session.id, [aMessage({ content: 'then a word after the upgrade: zucchini' })]);
    assert.deepEqual((await reopened.search('zucchini')).map((hit) => hit.sessionId), [session.id]);
    assert.deepEqual((await reopened.verify()).problems, []);
    assert.equal(await reopened.snapshotNow(), true);
    assert.equal(await schemaVersionOf(file), '3');
    assert.deepEqual(await tablesOf(file), ['messages', 'meta', 'sessions', 'tags']);
  });

  it('let SQLite verify find and repair a stored last message time that its messages contradict', async () => {
    const file = join(temp.path, 'sessions.sqlite');
    const store = await opened.track(openSqliteStore(file));
    const session = await store.create(aSession({ createdAt: DAY_1, messages: [aMessage({ createdAt: DAY_2 })] }));
    assert.equal(await store.snapshotNow(), true);
    await opened.closeAll();
    const sqlJs = await loadSqlJs();
    const db = new sqlJs.Database(readFileSync(file));
    db.exec(`UPDATE sessions SET last_message_at = '${DAY_3}'`);
    writeFileSync(file, db.export());
    db.close();
    rmSync(`${file}.summaries.json`);
    const reopened = await opened.track(openSqliteStore(file));
    const found = (await reopened.verify()).problems.map((each) => each.what);
    assert.ok(found.includes('stored last message times are wrong for 1 session(s)'), found.join('; '));
    await reopened.verify({ repair: true });
    assert.equal((await reopened.list())[0].lastMessageAt, DAY_2);
    assert.equal((await reopened.get(session.id))?.lastMessageAt, DAY_2);
    assert.deepEqual((await reopened.verify()).problems, []);
  });
});

/** The full-text tables (and their content) versions before 3 kept, which upgrading drops. */
const FULL_TEXT_TABLES = `CREATE VIRTUAL TABLE message_fts USING fts4(content='messages', content, tokenize=unicode61 "remove_diacritics=0");
  CREATE VIRTUAL TABLE title_fts USING fts4(content='sessions', title, tokenize=unicode61 "remove_diacritics=0");
  INSERT INTO message_fts (message_fts) VALUES ('rebuild'); INSERT INTO title_fts (title_fts) VALUES ('rebuild');`;

/** Makes the files what a version without lastMessageAt and untitled wrote. */
async function downgradeToSchema1(file: string): Promise<void> {
  const sqlJs = await loadSqlJs();
  const db = new sqlJs.Database(readFileSync(file));
  db.exec(`ALTER TABLE sessions DROP COLUMN last_op; ${FULL_TEXT_TABLES}
    ALTER TABLE sessions DROP COLUMN last_message_at; ALTER TABLE sessions DROP COLUMN untitled;
    UPDATE meta SET value = '1' WHERE key = 'schema_version';`);
  writeFileSync(file, db.export());
  db.close();
  const journal = `${file}.journal`;
  const lines = readFileSync(journal, 'utf8').split('\n').filter((line) => line.length > 0);
  const oldLines = lines.map((line) => {
    const record = JSON.parse(line) as { type: string; session?: Record<string, unknown> };
    if (record.session) {
      delete record.session.lastMessageAt;
      delete record.session.untitled;
    }
    return JSON.stringify(record);
  });
  writeFileSync(journal, `${oldLines.join('\n')}\n`);
  const sidecar = `${file}.summaries.json`;
  if (existsSync(sidecar)) {
    const envelope = JSON.parse(readFileSync(sidecar, 'utf8')) as { version: number; rows: unknown[][] };
    writeFileSync(sidecar, JSON.stringify({ ...envelope, version: 1, rows: envelope.rows.map((row) => row.slice(0, 8)) }));
  }
}

async function tablesOf(file: string): Promise<string[]> {
  const sqlJs = await loadSqlJs();
  const db = new sqlJs.Database(readFileSync(file));
  try {
    return (db.exec("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")[0]?.values ?? []).map(([name]) => String(name));
  } finally {
    db.close();
  }
}

async function schemaVersionOf(file: string): Promise<string> {
  const sqlJs = await loadSqlJs();
  const db = new sqlJs.Database(readFileSync(file));
  try {
    return String(db.exec("SELECT value FROM meta WHERE key = 'schema_version'")[0]?.values[0]?.[0]);
  } finally {
    db.close();
  }
}
