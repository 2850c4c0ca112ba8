import { Message } from '../../../core/model';
import { readJournal, readJournalAfterMark, readJournalAfterRecord } from '../journal/journal';
import { openingRead } from '../journal/openingRead';
import { LineFilter } from '../../fs/logLines';
import { JournalChunk, locateRecord } from '../journal/journalChunk';
import { JournalMark, SessionOp, isSessionOp, journalRecordSchema, namedSessionId, opSessionId } from '../journal/journalRecords';

// The messages of sessions the database file holds at an older version than a search asks for,
// brought forward by the journal records after the file's snapshot, as the database writer
// (applyOps.ts) would apply them — for what a chat does as it goes: appends, message updates, a
// new session, renames and tags. A session whose later records reorder or delete its messages is
// not answered (the caller loads the database). A session's version is the id of its last
// record, as the store's summaries fold it; only a session that comes out at the version asked
// is answered, so a record missed or misread here costs a database load, never a wrong message.

/** A message by its id, its content read only when asked for (most of a long session's never are). */
export interface LazyMessage {
  id: string;
  message: () => Message;
}

export interface BehindSession {
  /** What the file holds of it (none when the file has not got it yet). */
  messages: LazyMessage[] | undefined;
  /** The version the caller knows. */
  version: string;
}

/**
 * The messages of each session at the version asked, for those the journal after `mark` (the
 * file's journal mark; none: from the start) brings there; the rest are left out.
 */
export function replayJournal(journalPath: string, mark: JournalMark | undefined, sessions: ReadonlyMap<string, BehindSession>): Map<string, LazyMessage[]> {
  const { journal, after } = journalAfter(journalPath, mark, [...sessions.keys()]);
  const replayed = new Map<string, Replayed>();
  sessions.forEach((session, id) => replayed.set(id, { messages: session.messages && [...session.messages], version: undefined, broken: after === undefined }));
  for (const entry of after === undefined ? [] : journal.entries.slice(after + 1)) {
    const op = replayed.has(namedSessionId(entry.value) ?? '') ? sessionOp(entry.value) : undefined;
    const named = op && replayed.get(opSessionId(op));
    if (op && named) {
      named.broken ||= !applyOp(named, op);
      named.version = op.id;
    }
  }
  const answered = new Map<string, LazyMessage[]>();
  replayed.forEach(({ messages, version, broken }, id) => !broken && messages && version === sessions.get(id)?.version && answered.set(id, messages));
  return answered;
}

/**
 * The journal and the entry the file's mark stands after: the store's opening read when it
 * reaches back to the mark; else only the lines that could matter (a journal holds every
 * session's records), from the mark on: where the mark says while the journal is the one it was
 * taken in, where its record now stands in a journal since rotated, or from the start (the
 * header's line and the mark's then place it). The replay still checks which session each
 * record names.
 */
function journalAfter(journalPath: string, mark: JournalMark | undefined, ids: readonly string[]): { journal: JournalChunk; after: number | undefined } {
  const covers = mark?.id ?? null;
  const opening = openingRead(journalPath);
  const placed = opening && placeInOpening(opening, mark);
  if (opening && placed !== undefined) {
    return { journal: opening, after: placed };
  }
  const needles = [...ids, ...(covers === null ? [] : [covers])].map((id) => `"${id}"`);
  const wanted = (line: string): boolean => needles.some((needle) => line.includes(needle));
  const tail = mark && tailAfterMark(journalPath, mark, wanted);
  if (tail) {
    return { journal: tail, after: -1 };
  }
  const journal = readJournal(journalPath, 0, (line, index) => index === 0 || wanted(line));
  return { journal, after: locateRecord(journal, covers) };
}

/** The journal after the mark: where it says while the journal is the one it was taken in, else where its record now stands. */
function tailAfterMark(journalPath: string, mark: JournalMark, keep: LineFilter): JournalChunk | undefined {
  return readJournalAfterMark(journalPath, mark, keep) ?? (mark.id === null ? undefined : readJournalAfterRecord(journalPath, mark.id, keep));
}

/** Where the file's mark stands in the opening read, if it does: a read from a mark on holds no header, so only the mark places it. */
function placeInOpening(opening: JournalChunk, mark: JournalMark | undefined): number | undefined {
  if (opening.start === 0) {
    return locateRecord(opening, mark?.id ?? null);
  }
  if (!mark || mark.id === null || opening.ino !== mark.ino) {
    return undefined;
  }
  if (opening.start === mark.offset) {
    return -1; // read from just after the mark's own line
  }
  const index = opening.entries.findIndex((entry) => entry.id === mark.id);
  return index >= 0 ? index : undefined;
}

interface Replayed {
  messages: LazyMessage[] | undefined;
  /** The ids of `messages`, made at the first append (a long session takes hundreds). */
  ids?: Set<string>;
  /** The id of the last record replayed. */
  version: string | undefined;
  /** A record this cannot follow was met. */
  broken: boolean;
}

function sessionOp(value: unknown): SessionOp | undefined {
  const parsed = journalRecordSchema.safeParse(value);
  return parsed.success && isSessionOp(parsed.data) ? parsed.data : undefined;
}

/** False when the record is one this cannot follow. */
function applyOp(session: Replayed, op: SessionOp): boolean {
  switch (op.type) {
    case 'create':
      session.messages ??= op.session.messages.map(known); // a create of a session already there is ignored
      return true;
    case 'append':
      return appendTo(session, op.messages);
    case 'updateMessage':
      updateIn(session.messages ?? [], op);
      return true;
    case 'update':
      return true;
    default:
      return false;
  }
}

function known(message: Message): LazyMessage {
  return { id: message.id, message: () => message };
}

/** Only messages new to the session are added (a retried append adds nothing). */
function appendTo(session: Replayed, appended: readonly Message[]): boolean {
  const { messages } = session;
  if (!messages) {
    return false;
  }
  const ids = (session.ids ??= new Set(messages.map((message) => message.id)));
  messages.push(...appended.filter((message) => !ids.has(message.id) && ids.add(message.id)).map(known));
  return true;
}

function updateIn(messages: LazyMessage[], op: Extract<SessionOp, { type: 'updateMessage' }>): void {
  const at = messages.findIndex((message) => message.id === op.messageId);
  if (at >= 0) {
    const before = messages[at].message;
    const { content, incomplete } = op.patch;
    messages[at] = { id: op.messageId, message: () => ({ ...before(), ...(content === undefined ? {} : { content }), ...(incomplete === undefined ? {} : { incomplete }) }) };
  }
}
