import { Message } from '../../../core/model';
import { readJournal } from '../journal/journal';
import { locateRecord } from '../journal/journalChunk';
import { SessionOp, isSessionOp, journalRecordSchema, namedSessionId, opSessionId } from '../journal/journalRecords';

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
 * The messages of each session at the version asked, for those the journal after `covers` (the
 * file's journal mark) brings there; the rest are left out.
 */
export function replayJournal(journalPath: string, covers: string | null, sessions: ReadonlyMap<string, BehindSession>): Map<string, LazyMessage[]> {
  const journal = readJournal(journalPath);
  const after = locateRecord(journal, covers);
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

interface Replayed {
  messages: LazyMessage[] | undefined;
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
      return appendTo(session.messages, op.messages);
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
function appendTo(messages: LazyMessage[] | undefined, appended: readonly Message[]): boolean {
  const ids = new Set(messages?.map((message) => message.id));
  messages?.push(...appended.filter((message) => !ids.has(message.id) && ids.add(message.id)).map(known));
  return messages !== undefined;
}

function updateIn(messages: LazyMessage[], op: Extract<SessionOp, { type: 'updateMessage' }>): void {
  const at = messages.findIndex((message) => message.id === op.messageId);
  if (at >= 0) {
    const before = messages[at].message;
    const { content, incomplete } = op.patch;
    messages[at] = { id: op.messageId, message: () => ({ ...before(), ...(content === undefined ? {} : { content }), ...(incomplete === undefined ? {} : { incomplete }) }) };
  }
}
