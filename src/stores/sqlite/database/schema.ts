import { Database } from 'sql.js';
import { storeUnavailable } from '../../../core/errors';
import { JournalMark, journalMarkSchema } from '../journal/journalRecords';

// The database layout. A message id is unique within its session. A message's `seq` (its rowid)
// is `sid * MESSAGES_PER_SESSION + position`: it orders the session's messages. Search is not
// in the database: the word index every file store shares keeps its own file beside it, and
// `sessions.last_op` (the id of the last operation applied to the session) tells it which
// sessions changed since it last read them.

// Version 2 added sessions.last_message_at and sessions.untitled; version 3 added
// sessions.last_op and dropped the FTS4 tables search used before. upgradeSchema brings an older
// database up to date as it opens.
export const SCHEMA_VERSION = 3;
export const MESSAGES_PER_SESSION = 2 ** 24;

const TABLES = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE sessions (
  sid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  pinned INTEGER NOT NULL,
  source TEXT NOT NULL,
  message_count INTEGER NOT NULL,
  last_message_at TEXT NOT NULL,
  untitled INTEGER NOT NULL,
  last_op TEXT NOT NULL
);
CREATE TABLE messages (
  seq INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL,
  id TEXT NOT NULL,
  role TEXT NOT NULL,
  content TEXT NOT NULL,
  created_at TEXT NOT NULL,
  model TEXT,
  author TEXT,
  incomplete INTEGER,
  UNIQUE (session_id, id)
);
CREATE TABLE tags (
  session_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  tag TEXT NOT NULL,
  PRIMARY KEY (session_id, tag)
) WITHOUT ROWID;
`;

/**
 * Durability comes from the journal, and sql.js keeps the file in memory, so SQLite's own
 * rollback journal only needs to support ROLLBACK.
 */
export function configureConnection(db: Database): void {
  db.exec('PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY;');
}

/** 8 KiB pages hold ~1 KB messages with less slack than the default 4 KiB (~15% smaller files). */
export function createSchema(db: Database): void {
  db.exec(`PRAGMA page_size = 8192; BEGIN; ${TABLES} COMMIT;`);
  writeMeta(db, 'schema_version', String(SCHEMA_VERSION));
}

function readMeta(db: Database, key: string): string | undefined {
  const statement = db.prepare('SELECT value FROM meta WHERE key = ?');
  try {
    statement.bind([key]);
    return statement.step() ? String(statement.get()[0]) : undefined;
  } finally {
    statement.free();
  }
}

function writeMeta(db: Database, key: string, value: string): void {
  db.run('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)', [key, value]);
}

/** A session's lastMessageAt from its messages, as SQL over `sessions` (see completeSession). */
export const DERIVED_LAST_MESSAGE_AT =
  "max(created_at, coalesce((SELECT max(m.created_at) FROM messages m WHERE m.session_id = sessions.id), ''))";

/**
 * Brings a database of an older schema up to this one, in memory (the next snapshot writes it):
 * version 1 had no last_message_at, derived here from the messages, nor untitled sessions;
 * versions before 3 had no last_op (empty here: the word index reads such sessions once, then
 * their next operation names them) and kept full-text tables, dropped (their pages are reused).
 */
export function upgradeSchema(db: Database): void {
  const version = Number(readMeta(db, 'schema_version'));
  if (version >= SCHEMA_VERSION) {
    return;
  }
  const toVersion2 = `ALTER TABLE sessions ADD COLUMN last_message_at TEXT NOT NULL DEFAULT '';
    ALTER TABLE sessions ADD COLUMN untitled INTEGER NOT NULL DEFAULT 0;
    UPDATE sessions SET last_message_at = ${DERIVED_LAST_MESSAGE_AT};`;
  db.exec(`BEGIN;
    ${version < 2 ? toVersion2 : ''}
    ALTER TABLE sessions ADD COLUMN last_op TEXT NOT NULL DEFAULT '';
    DROP TABLE IF EXISTS message_fts;
    DROP TABLE IF EXISTS title_fts;
    COMMIT;`);
  writeMeta(db, 'schema_version', String(SCHEMA_VERSION));
}

/** Throws unless this is a multichat database this version can read. */
export function checkSchemaVersion(db: Database, file: string): void {
  const hasMeta = db.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").length > 0;
  const version = hasMeta ? Number(readMeta(db, 'schema_version')) : NaN;
  if (!Number.isInteger(version) || version < 1) {
    throw storeUnavailable(`${file} is not a multichat database`);
  }
  if (version > SCHEMA_VERSION) {
    throw storeUnavailable(`${file} was written by a newer multichat (schema ${version}); please upgrade`);
  }
}

/** The meta key a snapshot's journal mark is kept under. */
export const JOURNAL_MARK_KEY = 'journal_mark';

/** Where in the journal this snapshot stands: every operation up to the mark is in it. */
export function readJournalMark(db: Database): JournalMark | undefined {
  return parseJournalMark(readMeta(db, JOURNAL_MARK_KEY));
}

/** A journal mark as the meta table holds it (JSON text); undefined for anything else. */
export function parseJournalMark(text: unknown): JournalMark | undefined {
  const parsed = journalMarkSchema.safeParse(typeof text === 'string' ? safeJson(text) : undefined);
  return parsed.success ? parsed.data : undefined;
}

export function writeJournalMark(db: Database, mark: JournalMark): void {
  writeMeta(db, JOURNAL_MARK_KEY, JSON.stringify(mark));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
