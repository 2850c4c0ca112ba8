import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Database } from 'sql.js';
import { fileHeaderProblem } from '../src/stores/sqlite/database/databaseFile';
import { databaseImage } from '../src/stores/sqlite/snapshot/databaseImage';
import { configureConnection, createSchema } from '../src/stores/sqlite/database/schema';
import { openSqliteStore } from '../src/stores/sqlite/sqliteStore';
import { loadSqlJs } from '../src/stores/sqlite/database/wasmLoader';
import { aSession, someMessages } from './helpers/builders';
import { makeTempDir } from './helpers/tempDir';

/**
 * export() copies into a fresh file through SQLite's backup, which restarts the counters that
 * only say "this file changed": the change counter and its copy (bytes 24–27, 92–95) and the
 * schema cookie (40–43).
 */
function withoutCounters(bytes: Uint8Array): Buffer {
  const copy = Buffer.from(bytes);
  for (const [start, end] of [[24, 28], [40, 44], [92, 96]]) {
    copy.fill(0, start, end);
  }
  return copy;
}

describe('SQLite snapshot image', () => {
  let db: Database;

  beforeEach(async () => {
    const sqlJs = await loadSqlJs();
    db = new sqlJs.Database();
    configureConnection(db);
    createSchema(db);
  });

  afterEach(() => db.close());

  it('is the database export() would write, without copying it', () => {
    db.run("INSERT INTO meta (key, value) VALUES ('filler', ?)", ['x'.repeat(50_000)]);
    const image = databaseImage(db);
    assert.ok(image, 'sql.js in-memory file was not reachable');
    assert.ok(withoutCounters(image).equals(withoutCounters(db.export())));
    assert.equal(databaseImage(db)?.buffer, image.buffer, 'a second image shares the same memory');
  });

  it('follows the database as it grows and opens as a database of its own', async () => {
    databaseImage(db);
    db.run("INSERT INTO meta (key, value) VALUES ('grown', ?)", ['y'.repeat(200_000)]);
    const image = databaseImage(db);
    assert.ok(image);
    const reopened = new (await loadSqlJs()).Database(Buffer.from(image));
    try {
      assert.equal(reopened.exec("SELECT length(value) FROM meta WHERE key = 'grown'")[0]?.values[0]?.[0], 200_000);
    } finally {
      reopened.close();
    }
  });

  it('is not offered for a closed database', async () => {
    const other = new (await loadSqlJs()).Database();
    other.close();
    assert.equal(databaseImage(other), undefined);
  });
});

describe('SQLite snapshot from the image', () => {
  let temp: ReturnType<typeof makeTempDir>;

  beforeEach(() => {
    temp = makeTempDir();
  });

  afterEach(() => temp.cleanup());

  it('writes a whole database file that reopens with every change', async () => {
    const file = join(temp.path, 'chats.sqlite');
    const store = await openSqliteStore(file, { watch: false });
    const created = await store.create(aSession({ title: 'Kept', messages: someMessages(40) }));
    assert.equal(await store.snapshotNow(), true);
    await store.appendMessages(created.id, someMessages(5, 'after'));
    assert.equal(await store.snapshotNow(), true);
    await store.close();
    assert.equal(fileHeaderProblem(file), undefined);
    const sqlJs = await loadSqlJs();
    const onDisk = new sqlJs.Database(readFileSync(file));
    try {
      assert.equal(onDisk.exec('SELECT count(*) FROM messages')[0]?.values[0]?.[0], 45);
      assert.equal(onDisk.exec('PRAGMA integrity_check')[0]?.values[0]?.[0], 'ok');
    } finally {
      onDisk.close();
    }
  });

  it('removes the temp files of snapshots killed midway, and nothing else', async () => {
    const file = join(temp.path, 'chats.sqlite');
    const leftovers = ['.chats.sqlite.snapshot-4242-k2j9x0ab.tmp', '.chats.sqlite.backup-17-zz1.tmp'];
    const others = ['.other.sqlite.snapshot-4242-k2j9x0ab.tmp', 'chats.sqlite.snapshot-notes.txt', '.chats.sqlite.snapshot-mine.tmp'];
    for (const name of [...leftovers, ...others]) {
      writeFileSync(join(temp.path, name), 'partial');
    }
    const store = await openSqliteStore(file, { watch: false });
    await store.create(aSession({ messages: someMessages(3) }));
    assert.equal(await store.snapshotNow(), true);
    await store.close();
    const names = readdirSync(temp.path);
    assert.deepEqual(leftovers.filter((name) => names.includes(name)), []);
    assert.deepEqual(others.filter((name) => names.includes(name)), others);
  });
});
