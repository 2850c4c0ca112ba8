import { Message } from '../../../core/model';
import { MessagePlace } from '../../../core/wordIndex/indexedSearch';
import { JOURNAL_MARK_KEY, MESSAGES_PER_SESSION, parseJournalMark } from '../database/schema';
import { JournalMark } from '../journal/journalRecords';
import { messageFromRow } from '../database/sessionRows';
import { eachTableRow, indexEntry, tableRow } from './btree';
import { BehindSession, LazyMessage, replayJournal } from './journalReplay';
import { Value, decodeRecord, recordValue } from './records';
import { PageFile, PageFormatError } from './pageFile';

// A search hit's message read straight from the database file, for a fresh process that has not
// loaded the database (a cold `multichat search` would otherwise read and load all of it for a
// few messages): where the file holds the session at the version the caller expects (its
// sessions.last_op), or the journal after the file's snapshot brings it there (journalReplay.ts).
// Anything else is answered STALE, and so is every place when the file is not one this can read:
// the caller then reads those from the loaded database.

export const STALE = Symbol('stale');

export interface VersionedPlace extends MessagePlace {
  /** The session's version the caller knows (the word index's): the file must hold this one. */
  version: string;
}

export type FileMessage = Message | undefined | typeof STALE;

interface Layout {
  sessions: number;
  messages: number;
  sessionIds: number;
  meta: number;
  /** Where each column sits in a row's record. */
  lastOp: number;
  messageColumns: number[];
}

const MESSAGE_COLUMNS = ['id', 'role', 'content', 'created_at', 'model', 'author', 'incomplete'];

export function messagesFromFile(files: { database: string; journal: string }, places: readonly VersionedPlace[]): FileMessage[] {
  let file: PageFile | undefined;
  try {
    file = PageFile.open(files.database);
    const layout = file && readLayout(file);
    return file && layout ? readPlaces(file, layout, files.journal, places) : places.map(() => STALE);
  } catch (error) {
    if (error instanceof PageFormatError || error instanceof RangeError) {
      return places.map(() => STALE); // a file this cannot read is read by SQLite itself
    }
    throw error;
  } finally {
    file?.close();
  }
}

function readPlaces(file: PageFile, layout: Layout, journal: string, places: readonly VersionedPlace[]): FileMessage[] {
  const behind = new Map<string, BehindSession>();
  const read = places.map((place): FileMessage | BehindSession => {
    const entry = indexEntry(file, layout.sessionIds, place.id);
    const sid = entry?.[1];
    const session = typeof sid === 'number' ? tableRow(file, layout.sessions, sid) : undefined;
    if (session && recordValue(session.payload, layout.lastOp) === place.version) {
      return messagesOf(file, layout, session.rowid, place.position + 1)[place.position]?.message();
    }
    const known = behind.get(place.id) ?? { messages: session && messagesOf(file, layout, session.rowid, Infinity), version: place.version };
    behind.set(place.id, known);
    return known.version === place.version ? known : STALE;
  });
  const replayed = behind.size > 0 ? replayJournal(journal, journalMark(file, layout), behind) : new Map<string, LazyMessage[]>();
  return read.map((message, at) => (isBehind(message) ? (replayed.has(places[at].id) ? replayed.get(places[at].id)?.[places[at].position]?.message() : STALE) : message));
}

function isBehind(read: FileMessage | BehindSession): read is BehindSession {
  return typeof read === 'object' && 'version' in read;
}

/** The first `count` messages of the session in row `sid`, in order: their ids, each message decoded only when asked for. */
function messagesOf(file: PageFile, layout: Layout, sid: number, count: number): LazyMessage[] {
  const first = sid * MESSAGES_PER_SESSION;
  const messages: LazyMessage[] = [];
  eachTableRow(file, layout.messages, { from: first, to: first + MESSAGES_PER_SESSION }, ({ payload }) => {
    const message = (): Message => {
      const values: Value[] = decodeRecord(payload);
      return messageFromRow(layout.messageColumns.map((column) => values[column] ?? null));
    };
    messages.push({ id: String(recordValue(payload, layout.messageColumns[0])), message });
    return messages.length < count;
  });
  return messages;
}

/** The journal record the file's snapshot covers (null: none, the journal's start). */
function journalMark(file: PageFile, layout: Layout): JournalMark | undefined {
  return parseJournalMark(indexEntry(file, layout.meta, JOURNAL_MARK_KEY)?.[1]);
}

/** Where the tables are, and their columns: from sqlite_master, as the file says (an upgraded file's columns may sit elsewhere). */
function readLayout(file: PageFile): Layout | undefined {
  const schema = new Map<string, { root: number; sql: string }>();
  eachTableRow(file, 1, { from: -Infinity, to: Infinity }, ({ payload }) => {
    const [, name, table, root, sql] = decodeRecord(payload);
    if (typeof root === 'number') {
      schema.set(typeof sql === 'string' ? String(name) : `${String(table)} index ${String(name)}`, { root, sql: typeof sql === 'string' ? sql : '' });
    }
    return true;
  });
  const sessions = schema.get('sessions');
  const messages = schema.get('messages');
  const sessionIds = schema.get('sessions index sqlite_autoindex_sessions_1');
  const meta = schema.get('meta');
  if (!sessions || !messages || !sessionIds || !meta) {
    return undefined;
  }
  const sessionColumns = columnNames(sessions.sql);
  const messageColumns = columnNames(messages.sql);
  const lastOp = sessionColumns.indexOf('last_op');
  const placed = MESSAGE_COLUMNS.map((name) => messageColumns.indexOf(name));
  // The rowid columns first (their record value is NULL: the rowid stands in), the id index on id alone.
  if (sessionColumns[0] !== 'sid' || sessionColumns[1] !== 'id' || messageColumns[0] !== 'seq' || lastOp < 0 || placed.includes(-1)) {
    return undefined;
  }
  return { sessions: sessions.root, messages: messages.root, sessionIds: sessionIds.root, meta: meta.root, lastOp, messageColumns: placed };
}

const CONSTRAINTS = new Set(['unique', 'primary', 'check', 'foreign', 'constraint']);

/** The column names of a CREATE TABLE statement, in order (table constraints left out). */
function columnNames(sql: string): string[] {
  const body = sql.slice(sql.indexOf('(') + 1, sql.lastIndexOf(')'));
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of body) {
    depth += char === '(' ? 1 : char === ')' ? -1 : 0;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.map((part) => part.trim().split(/\s+/)[0].replace(/^["`[]|["`\]]$/g, '')).filter((name) => !CONSTRAINTS.has(name.toLowerCase()));
}
