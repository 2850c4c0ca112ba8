import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SqlJsStatic } from 'sql.js';
import { cursorImporter } from '../../src/interop/import/cursor/cursorImporter';
import { loadSqlJs } from '../../src/stores/sqlite/database/wasmLoader';
import { fuzzImporter, mutateBytes, mutateText } from '../helpers/importFuzz';
import { makeTempDir } from '../helpers/tempDir';
import { COMPOSER_A, GLOBAL_ROWS, WORKSPACE_ROWS, databaseBytes, inWalMode, walBetween, writeDatabase } from './cursorFixtures';

const temp = makeTempDir('multichat-cursor-fuzz-');
after(() => temp.cleanup());

/**
 * Mostly rewrites one stored value with mutated JSON (structurally, or its bytes), the database
 * otherwise intact: that reaches the importer's reading of values, which byte damage to the
 * file mostly does not (SQLite refuses it first). Sometimes damages the file's bytes instead.
 */
function valueMutator(sql: SqlJsStatic) {
  return (bytes: Buffer, random: () => number): Buffer => {
    if (random() < 0.25) {
      return mutateBytes(bytes, random);
    }
    let db;
    try {
      db = new sql.Database(new Uint8Array(bytes)); // a copy: sql.js would write into a Buffer's memory
      const rows = db.exec('SELECT rowid, key, value FROM cursorDiskKV UNION ALL SELECT -rowid, key, value FROM ItemTable')[0]?.values ?? [];
      if (rows.length === 0) {
        return mutateBytes(bytes, random);
      }
      const [rowid, , value] = rows[Math.floor(random() * rows.length)];
      const isBlob = value instanceof Uint8Array;
      const mutated = mutateText(Buffer.from(isBlob ? value : String(value)), random);
      const table = Number(rowid) < 0 ? 'ItemTable' : 'cursorDiskKV';
      db.run(`UPDATE ${table} SET value = ? WHERE rowid = ?`, [isBlob ? mutated : mutated.toString('utf8'), Math.abs(Number(rowid))]);
      return Buffer.from(db.export());
    } catch {
      return mutateBytes(bytes, random); // not a database (the -wal file of a pair): bytes only
    } finally {
      db?.close();
    }
  };
}

test('mutated Cursor databases never crash the importer nor change the store', async () => {
  const sql = await loadSqlJs();
  const file = join(temp.path, 'state.vscdb');
  await writeDatabase(file, [...GLOBAL_ROWS, ...WORKSPACE_ROWS]);
  const tally = await fuzzImporter(cursorImporter, file, { rounds: 1000, seed: 11, mutate: valueMutator(sql) });
  assert.ok(tally.rejected > 100 && tally.accepted > 100, JSON.stringify(tally));
});

test('a mutated WAL-mode pair (database or -wal file) is read or refused, never more', async () => {
  const sql = await loadSqlJs();
  const folder = join(temp.path, 'wal-pair');
  const file = join(folder, 'state.vscdb');
  const older = inWalMode(await databaseBytes(COMPOSER_A));
  await writeDatabase(file, []);
  writeFileSync(file, older);
  writeFileSync(`${file}-wal`, walBetween(older, inWalMode(await databaseBytes(GLOBAL_ROWS))));
  const tally = await fuzzImporter(cursorImporter, folder, { rounds: 300, seed: 5, mutate: valueMutator(sql) });
  assert.ok(tally.accepted > 50, JSON.stringify(tally));
});
