import { Message, Session } from '../../../core/model';
import { fieldsAfterPatch, orderAfterReorder, timesAfterAppend } from '../../../core/sessionRules';
import { LogRecord } from '../../fs/logLines';
import { BodyRecord, EditRecord, HeaderRecord, MessageRecord, UpdateRecord, parseRecord } from './records';

// Folds a session log's records into a Session, in file order: the order every process applies,
// so readers of one file always agree. Records that fail validation are skipped and reported;
// repeated record ids keep their first copy.

export interface LineProblem {
  /** 1-based; undefined for a problem with the file as a whole. */
  line?: number;
  what: string;
}

/** "line 5: not valid JSON", or the problem alone when it concerns the whole file. */
export function describeLineProblem(problem: LineProblem): string {
  return problem.line === undefined ? problem.what : `line ${problem.line}: ${problem.what}`;
}

export type AppliedKind = 'header' | 'message' | 'update' | 'edit' | 'name' | 'order';

export interface AppliedRecord {
  kind: AppliedKind;
  id: string;
}

export interface FoldedLog {
  /** Undefined until a valid header has been read: such a file is not a session. */
  session: Session | undefined;
  recordIds: Set<string>;
  /** The session's messages by id, for edits. */
  messages: Map<string, Message>;
  /** Where in the file each message's lines start (by message id): search reads a hit's message alone. */
  messageLines: Map<string, MessageLines>;
  /** Characters compaction would reclaim: message content replaced by later edits, and order records. */
  supersededChars: number;
  problems: LineProblem[];
}

/**
 * Byte offsets of a message's record and of the line its content now comes from (the record's
 * own, or its last edit's); undefined when the last edit carried no content, so no one line does.
 */
export interface MessageLines {
  record: number;
  content: number | undefined;
}

export function emptyFold(): FoldedLog {
  return { session: undefined, recordIds: new Set(), messages: new Map(), messageLines: new Map(), supersededChars: 0, problems: [] };
}

/** Applies records whose line numbers count from `linesBefore` complete lines into the file, and whose offsets from `bytesBefore`. */
export function foldRecords(fold: FoldedLog, records: readonly LogRecord[], linesBefore: number, bytesBefore = 0): AppliedRecord[] {
  const applied: AppliedRecord[] = [];
  for (const { line, offset, value } of records) {
    const parsed = parseRecord(value, linesBefore + line);
    if (!parsed.ok) {
      fold.problems.push({ line: linesBefore + line, what: parsed.what });
    } else if (parsed.kind === 'header') {
      applyHeader(fold, parsed.record, applied);
    } else {
      applyBody(fold, parsed.record, applied, bytesBefore + offset);
    }
  }
  return applied;
}

function applyHeader(fold: FoldedLog, header: HeaderRecord, applied: AppliedRecord[]): void {
  // Only line 1 is a header, and each line is read once; a second one would change nothing.
  if (fold.session) {
    return;
  }
  const { id, title, createdAt, updatedAt, tags, pinned, source } = header;
  const untitled = header.untitled ?? false;
  fold.session = { id, title, createdAt, updatedAt, lastMessageAt: createdAt, untitled, tags: [...new Set(tags)], pinned, source, messages: [] };
  applied.push({ kind: 'header', id: header.id });
}

function applyBody(fold: FoldedLog, record: BodyRecord, applied: AppliedRecord[], offset: number): void {
  const session = fold.session;
  if (!session || fold.recordIds.has(record.id)) {
    return;
  }
  fold.recordIds.add(record.id);
  if (record.type === 'message') {
    const message = messageOf(record);
    session.messages.push(message);
    fold.messages.set(message.id, message);
    fold.messageLines.set(message.id, { record: offset, content: offset });
    Object.assign(session, timesAfterAppend(session, [message]));
  } else if (record.type === 'update') {
    applyUpdate(session, record);
  } else if (record.type === 'name') {
    if (session.untitled) {
      session.title = record.title;
      session.untitled = false;
    }
  } else if (record.type === 'order') {
    session.messages = orderAfterReorder(session.messages, record.messageIds) ?? session.messages;
    fold.supersededChars += record.messageIds.join('').length;
  } else {
    applyEdit(fold, record, offset);
  }
  applied.push({ kind: record.type, id: record.id });
}

function messageOf(record: MessageRecord): Message {
  const { id, role, content, createdAt, model, author, incomplete } = record;
  const message: Message = { id, role, content, createdAt };
  if (model !== undefined) {
    message.model = model;
  }
  if (author !== undefined) {
    message.author = author;
  }
  if (incomplete !== undefined) {
    message.incomplete = incomplete;
  }
  return message;
}

/** The record's updatedAt was resolved when it was written, so every reader folds to it. */
function applyUpdate(session: Session, record: UpdateRecord): void {
  Object.assign(session, fieldsAfterPatch(session, record, record.updatedAt));
}

/** An edit of a message the log does not hold (say, one dropped by a repair) changes nothing. */
function applyEdit(fold: FoldedLog, record: EditRecord, offset: number): void {
  const message = fold.messages.get(record.messageId);
  if (!message) {
    return;
  }
  const lines = fold.messageLines.get(record.messageId);
  if (lines) {
    lines.content = record.content === undefined ? undefined : offset;
  }
  if (record.content !== undefined) {
    fold.supersededChars += message.content.length;
    message.content = record.content;
  }
  if (record.incomplete !== undefined) {
    message.incomplete = record.incomplete;
  }
}
