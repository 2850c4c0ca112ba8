import { Session, applyTagChanges, laterOf } from '../../core/model';
import { LogRecord } from '../fs/logLines';
import { HeaderRecord, MessageRecord, UpdateRecord, parseRecord } from './records';

/**
 * Folds a session log's records into a Session, in file order: the order every process applies,
 * so readers of one file always agree. Records that fail validation are skipped and reported;
 * repeated record ids keep their first copy.
 */
export interface LineProblem {
  line: number;
  what: string;
}

export type AppliedKind = 'header' | 'message' | 'update';

export interface AppliedRecord {
  kind: AppliedKind;
  id: string;
}

export interface FoldedLog {
  /** Undefined until a valid header has been read: such a file is not a session. */
  session: Session | undefined;
  recordIds: Set<string>;
  problems: LineProblem[];
}

export function emptyFold(): FoldedLog {
  return { session: undefined, recordIds: new Set(), problems: [] };
}

/** Applies records whose line numbers count from `linesBefore` complete lines into the file. */
export function foldRecords(fold: FoldedLog, records: readonly LogRecord[], linesBefore: number): AppliedRecord[] {
  const applied: AppliedRecord[] = [];
  for (const { line, value } of records) {
    const parsed = parseRecord(value, linesBefore + line);
    if (!parsed.ok) {
      fold.problems.push({ line: linesBefore + line, what: parsed.what });
    } else if (parsed.kind === 'header') {
      applyHeader(fold, parsed.record, applied);
    } else {
      applyBody(fold, parsed.record, applied);
    }
  }
  return applied;
}

function applyHeader(fold: FoldedLog, header: HeaderRecord, applied: AppliedRecord[]): void {
  // An unterminated first line is read again once it is complete; the first reading stands.
  if (fold.session) {
    return;
  }
  const { type: _type, schema: _schema, ...fields } = header;
  fold.session = { ...fields, tags: [...new Set(fields.tags)], messages: [] };
  applied.push({ kind: 'header', id: header.id });
}

function applyBody(fold: FoldedLog, record: MessageRecord | UpdateRecord, applied: AppliedRecord[]): void {
  const session = fold.session;
  if (!session || fold.recordIds.has(record.id)) {
    return;
  }
  fold.recordIds.add(record.id);
  if (record.type === 'message') {
    const { type: _type, ...message } = record;
    session.messages.push(message);
    session.updatedAt = laterOf(session.updatedAt, message.createdAt);
    applied.push({ kind: 'message', id: record.id });
  } else {
    session.title = record.title ?? session.title;
    session.pinned = record.pinned ?? session.pinned;
    session.tags = applyTagChanges(session.tags, record);
    session.updatedAt = record.updatedAt;
    applied.push({ kind: 'update', id: record.id });
  }
}
