import { closeSync, existsSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { Database, SqlJsStatic } from 'sql.js';
import { isMultichatError, storeUnavailable } from '../../../core/errors';
import { replaceFileAtomically } from '../../fs/atomicFile';
import { withFileLock } from '../../fs/fileLock';
import { moveToQuarantine } from '../../fs/quarantine';
import { checkSchemaVersion, configureConnection, createSchema, upgradeSchema } from './schema';
import { StorePaths } from '../storePaths';
import { isMissing } from '../../fs/ioErrors';

// Opens the database snapshot, trusting nothing: a file that fails the checks is moved to the
// quarantine folder (never deleted) and the previous good copy (`.bak`) is used instead; the
// journal then replays everything since that copy. Checks: the SQLite header (catches garbage
// and truncation), the schema, and `PRAGMA quick_check` for files small enough to check on open
// (it reads every page: ~13 ms/MB here, so big files are checked fully by verify instead).

/** 'none': no database and no journal either — a store with nothing in it yet (or deleted). */
export type DatabaseSource = 'file' | 'backup' | 'empty' | 'none';

export interface OpenedDatabase {
  db: Database;
  source: DatabaseSource;
  /** Inode of the file read (0 for a new, empty database). */
  ino: number;
  warnings: string[];
}

export interface OpenOptions {
  quickCheckMaxBytes: number;
  signal?: AbortSignal;
  /** Whether a corrupt file may be moved to quarantine; on a read-only store it stays put. */
  writable: () => boolean;
}

const SQLITE_MAGIC = 'SQLite format 3\0';

export async function openDatabaseFile(sql: SqlJsStatic, paths: StorePaths, options: OpenOptions): Promise<OpenedDatabase> {
  const warnings: string[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const opened = await openFirstGoodCopy(sql, paths, options, warnings);
    if (opened) {
      return opened;
    }
  }
  throw storeUnavailable(`could not open ${paths.file}: it keeps being replaced`);
}

/** Undefined when a file changed while it was being judged: start again. */
async function openFirstGoodCopy(sql: SqlJsStatic, paths: StorePaths, options: OpenOptions, warnings: string[]): Promise<OpenedDatabase | undefined> {
  for (const [path, source] of [[paths.file, 'file'], [paths.backup, 'backup']] as const) {
    const read = await readIfExists(path, options.signal);
    if (!read) {
      continue;
    }
    const opened = headerProblem(read.bytes) ?? openChecked(sql, read.bytes, path, options);
    if (typeof opened !== 'string') {
      return { db: opened, source, ino: read.ino, warnings };
    }
    refuseIfNeverAStore(paths, path, opened);
    if (!options.writable()) {
      warnings.push(`${path} is corrupt (${opened}); the store is read-only, so it stays where it is`);
      continue;
    }
    const movedTo = await quarantineFile(paths, path, read.ino);
    if (!movedTo) {
      return undefined;
    }
    warnings.push(`${path} was corrupt (${opened}); moved it to ${movedTo}`);
  }
  const db = new sql.Database();
  configureConnection(db);
  createSchema(db);
  return { db, source: 'empty', ino: 0, warnings };
}

/**
 * A damaged database beside its journal, backup or sidecar is a store's, and is quarantined. A lone
 * file that is no database of ours was never a store — `sqlite:notes.txt`, a typo — and is left
 * exactly where it is: opening refuses it.
 */
function refuseIfNeverAStore(paths: StorePaths, path: string, problem: string): void {
  if (path === paths.file && ![paths.backup, paths.journal, paths.sidecar].some((companion) => existsSync(companion))) {
    throw storeUnavailable(`${path} is not a multichat SQLite store (${problem}); it was left as it is — check the path`);
  }
}

/** A new, empty store's database file, unless another process has just created it. */
export async function createDatabaseFile(sql: SqlJsStatic, paths: StorePaths): Promise<void> {
  await withFileLock(paths.file, async () => {
    if (existsSync(paths.file) || existsSync(paths.backup)) {
      return;
    }
    const db = new sql.Database();
    try {
      configureConnection(db);
      createSchema(db);
      await replaceFileAtomically(paths.file, db.export());
    } finally {
      db.close();
    }
  });
}

/** Why these bytes cannot be a whole SQLite database, or undefined if the header adds up. */
export function headerProblem(bytes: Uint8Array): string | undefined {
  return headerProblemOf(Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 100)), bytes.byteLength);
}

/** The same check from a file's first 100 bytes and its size, without reading the rest. */
export function fileHeaderProblem(path: string): string | undefined {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(100);
    const read = readSync(fd, head, 0, 100, 0);
    return headerProblemOf(head.subarray(0, read), fstatSync(fd).size);
  } finally {
    closeSync(fd);
  }
}

function headerProblemOf(head: Buffer, size: number): string | undefined {
  if (head.length < 100 || head.toString('latin1', 0, 16) !== SQLITE_MAGIC) {
    return size === 0 ? 'empty file' : 'not an SQLite database';
  }
  const rawPageSize = head.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65_536 : rawPageSize;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) {
    return 'invalid page size';
  }
  const headerCountValid = head.readUInt32BE(24) === head.readUInt32BE(92);
  const expected = head.readUInt32BE(28) * pageSize;
  if (size % pageSize !== 0 || (headerCountValid && expected !== size)) {
    return `truncated or padded: ${size} bytes where the header says ${expected}`;
  }
  return undefined;
}

function openChecked(sql: SqlJsStatic, bytes: Uint8Array, path: string, options: OpenOptions): Database | string {
  let db: Database | undefined;
  try {
    db = new sql.Database(bytes);
    configureConnection(db);
    checkSchemaVersion(db, path);
    upgradeSchema(db);
    db.exec('SELECT count(*) FROM sessions; SELECT count(*) FROM messages WHERE seq = 1');
    const check = bytes.length <= options.quickCheckMaxBytes ? String(db.exec('PRAGMA quick_check')[0]?.values[0]?.[0]) : 'ok';
    if (check === 'ok') {
      return db;
    }
    db.close();
    return `quick_check: ${check}`;
  } catch (error) {
    db?.close();
    if (isMultichatError(error)) {
      throw error; // not ours, or from a newer version: refuse rather than quarantine
    }
    return (error as Error).message;
  }
}

async function readIfExists(path: string, signal?: AbortSignal): Promise<{ bytes: Buffer; ino: number } | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if (isMissing(error)) {
      return undefined;
    }
    throw error;
  }
  try {
    const { ino } = await handle.stat();
    return { bytes: await handle.readFile({ signal }), ino };
  } finally {
    await handle.close();
  }
}

/** Moves a corrupt file aside, unless it was replaced since it was read; returns where to. */
async function quarantineFile(paths: StorePaths, path: string, ino: number): Promise<string | undefined> {
  return withFileLock(paths.file, async () => {
    if (!existsSync(path) || statSync(path).ino !== ino) {
      return undefined;
    }
    return moveToQuarantine(paths.quarantine, path);
  });
}
