// A Cursor state.vscdb opened read-only from a copy: the file's bytes are read into memory once
// (after its size is checked against the limit) and sql.js opens those, so the original is never
// opened for writing and nothing is ever written beside it. A WAL-mode database is switched to
// rollback mode in the copy, with the committed frames of its `-wal` file applied first (see
// cursorWal). Every value is handed out as text; reading a damaged page is reported as broken input.
import { open, stat } from 'node:fs/promises';
import { Database, SqlValue, Statement } from 'sql.js';
import { MultichatError, invalidInput } from '../../../core/errors';
import { headerProblem } from '../../../stores/sqlite/database/databaseFile';
import { loadSqlJs } from '../../../stores/sqlite/database/wasmLoader';
import { describeIoCause, isMissing } from '../../../stores/fs/ioErrors';
import { ReadLimits, SkippedParts, countSkipped } from '../importFormats';
import { brokenAt } from '../importErrors';
import { applyWal } from './cursorWal';

export type CursorTable = 'ItemTable' | 'cursorDiskKV';

/** The few reads the importer makes, each through a prepared statement freed on close. */
export class CursorDatabase {
  private readonly statements = new Map<string, Statement>();

  constructor(
    private readonly db: Database,
    readonly file: string,
  ) {}

  /** The names of the tables the database holds. */
  tables(): Set<string> {
    const names = new Set<string>();
    this.each("SELECT name FROM sqlite_master WHERE type = 'table'", [], 'sqlite_master', (row) => names.add(String(row[0])));
    return names;
  }

  /** Every row of `table` whose key starts with `prefix`, in key order, one at a time. */
  eachWithPrefix(table: CursorTable, prefix: string, visit: (key: string, text: string | undefined) => void): void {
    // A key range rather than LIKE: it uses the key's index, and `_` and `%` in ids stay literal.
    const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
    this.each(`SELECT key, value FROM ${table} WHERE key >= ? AND key < ? ORDER BY key`, [prefix, end], `${table} ${prefix}*`, (row) =>
      visit(String(row[0]), textOf(row[1])),
    );
  }

  /** The value at `key` as text; undefined when there is none. */
  value(table: CursorTable, key: string): string | undefined {
    let found: string | undefined;
    this.each(`SELECT value FROM ${table} WHERE key = ?`, [key], `${table} ${key}`, (row) => (found = textOf(row[0])));
    return found;
  }

  close(): void {
    for (const statement of this.statements.values()) {
      statement.free();
    }
    this.statements.clear();
    this.db.close();
  }

  private each(sql: string, params: string[], place: string, visit: (row: SqlValue[]) => void): void {
    let statement = this.statements.get(sql);
    try {
      statement ??= this.db.prepare(sql);
      this.statements.set(sql, statement);
      statement.bind(params);
      while (statement.step()) {
        visit(statement.get());
      }
    } catch (error) {
      throw asBroken(error, this.file, place);
    } finally {
      statement?.reset();
    }
  }
}

/** Values are JSON text, stored as TEXT or as BLOB bytes (UTF-8). */
function textOf(value: SqlValue): string | undefined {
  if (value === null) {
    return undefined;
  }
  return value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8') : String(value);
}

/** sql.js reports a damaged database with a plain Error; anything else is a bug and stays one. */
function asBroken(error: unknown, file: string, place: string): unknown {
  if (error instanceof MultichatError || !(error instanceof Error) || error.constructor !== Error) {
    return error;
  }
  return brokenAt(file, place, `the database is damaged or not SQLite (${error.message})`);
}

/** Opens a copy of `file`, runs `work` on it and closes it, whatever happens. */
export async function withCursorDatabase<T>(file: string, limits: ReadLimits, skipped: SkippedParts, work: (db: CursorDatabase) => T): Promise<T> {
  const bytes = await readWithin(file, limits.maxDatabaseBytes);
  const problem = headerProblem(bytes);
  if (problem) {
    throw brokenAt(file, '', `not a readable SQLite database (${problem})`);
  }
  const copy = await inRollbackMode(bytes, file, limits, skipped);
  const sql = await loadSqlJs();
  let db: Database;
  // sql.js adopts a Buffer's memory as its file rather than copying it: the copy is its alone now.
  try {
    db = new sql.Database(copy);
  } catch (error) {
    throw asBroken(error, file, '');
  }
  const database = new CursorDatabase(db, file);
  try {
    return work(database);
  } finally {
    database.close();
  }
}

/** The file's bytes, refused before reading when there are more than `maxBytes`. */
async function readWithin(file: string, maxBytes: number): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw invalidInput(`could not read ${file}: ${describeIoCause(error)}`);
  }
  try {
    const { size } = await handle.stat();
    refuseOversized(file, size, maxBytes);
    const bytes = await handle.readFile();
    refuseOversized(file, bytes.byteLength, maxBytes);
    return bytes;
  } catch (error) {
    throw error instanceof MultichatError ? error : invalidInput(`could not read ${file}: ${describeIoCause(error)}`);
  } finally {
    await handle.close();
  }
}

function refuseOversized(file: string, size: number, maxBytes: number): void {
  if (size > maxBytes) {
    const mb = (bytes: number) => `${Math.ceil(bytes / (1024 * 1024))} MB`;
    throw brokenAt(file, '', `the database is ${size} bytes (${mb(size)}), more than the ${maxBytes}-byte (${mb(maxBytes)}) limit; raise it with --max-db-mb`);
  }
}

/**
 * sql.js keeps its files in an in-memory file system it does not expose, so SQLite there can never
 * see the `-wal` file beside the original. The committed frames of that file are applied to the
 * copy here instead, and the copy's header set to rollback mode (bytes 18 and 19 = 1) so that
 * SQLite looks for no WAL of its own. A WAL file that cannot be used is counted as not read.
 */
async function inRollbackMode(bytes: Uint8Array, file: string, limits: ReadLimits, skipped: SkippedParts): Promise<Uint8Array> {
  if (bytes[18] !== 2 && bytes[19] !== 2) {
    return bytes;
  }
  const walFile = `${file}-wal`;
  const walSize = await stat(walFile).then((stats) => stats.size, (error: unknown) => (isMissing(error) ? 0 : -1));
  let applied: Uint8Array | undefined = walSize === 0 ? bytes : undefined;
  if (walSize > 0 && bytes.byteLength + walSize <= limits.maxDatabaseBytes) {
    const wal = await readWithin(walFile, limits.maxDatabaseBytes - bytes.byteLength).catch(() => undefined);
    applied = wal && applyWal(bytes, wal);
  }
  if (!applied) {
    countSkipped(skipped, 'WAL file not read (changes Cursor has not yet written into state.vscdb)');
  }
  const copy = applied ?? bytes;
  copy[18] = 1;
  copy[19] = 1;
  return copy;
}
