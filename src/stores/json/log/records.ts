import { z } from 'zod';
import {
  Message,
  SCHEMA_VERSION,
  Session,
  SessionPatch,
  MessagePatch,
  idSchema,
  messageOrderSchema,
  messagePatchSchema,
  messageSchema,
  sessionPatchSchema,
  summarySchema,
  timestampSchema,
  titleSchema,
} from '../../../core/model';

// The records of a session log (`<id>.jsonl`): line 1 is a header holding the session as it was
// created, then message, update, edit, name and order records in the order they reached the
// file. Every record carries an id; a reader keeps the first copy of each id, because a log
// rewrite racing an appender can leave a record twice.

// lastMessageAt is not stored: folding the messages derives it. `untitled` is written only when
// true, so that the files of titled sessions stay readable by versions from before it existed.
export const headerRecordSchema = summarySchema
  .omit({ messageCount: true, lastMessageAt: true })
  .extend({ type: z.literal('session'), schema: z.literal(SCHEMA_VERSION), untitled: z.literal(true).optional() });
export type HeaderRecord = z.infer<typeof headerRecordSchema>;

export const messageRecordSchema = messageSchema.extend({ type: z.literal('message') });
export type MessageRecord = z.infer<typeof messageRecordSchema>;

export const updateRecordSchema = sessionPatchSchema.extend({
  type: z.literal('update'),
  id: idSchema,
  // Stored resolved, so every reader folds to the same updatedAt whatever its clock says.
  updatedAt: timestampSchema,
});
export type UpdateRecord = z.infer<typeof updateRecordSchema>;

/**
 * A new version of a message already in the log (a streamed reply growing). It carries the whole
 * content, so the latest version of every message is one line — which search relies on — and
 * applying it twice is harmless. Compaction folds superseded versions away.
 */
export const editRecordSchema = messagePatchSchema.extend({ type: z.literal('edit'), id: idSchema, messageId: idSchema });
export type EditRecord = z.infer<typeof editRecordSchema>;

/**
 * Names an untitled session after its first user message, written with that message. Folded only
 * while the session is still untitled, so the first in file order wins and a rename (an update
 * with a title) beats any that follow. The title is stored rather than derived when folding, so a
 * search that parses only some lines (searchFold.ts) sees the same title.
 */
export const nameRecordSchema = z.strictObject({ type: z.literal('name'), id: idSchema, title: titleSchema });
export type NameRecord = z.infer<typeof nameRecordSchema>;

/**
 * Puts the messages folded so far in a new order (SessionStore.reorderMessages): the listed ids
 * first, then the rest as they were. It applies where it stands in the file, so messages appended
 * after it (by any process) follow it. Ids of messages the log does not hold are ignored.
 * Compaction writes the messages in their folded order and leaves these records out.
 */
export const orderRecordSchema = z.strictObject({ type: z.literal('order'), id: idSchema, messageIds: messageOrderSchema });
export type OrderRecord = z.infer<typeof orderRecordSchema>;

const bodyRecordSchema = z.discriminatedUnion('type', [messageRecordSchema, updateRecordSchema, editRecordSchema, nameRecordSchema, orderRecordSchema]);
export type BodyRecord = z.infer<typeof bodyRecordSchema>;

export function headerRecord(session: Session): HeaderRecord {
  const { id, title, createdAt, updatedAt, tags, pinned, source } = session;
  const header: HeaderRecord = { type: 'session', schema: SCHEMA_VERSION, id, title, createdAt, updatedAt, tags, pinned, source };
  if (session.untitled) {
    header.untitled = true;
  }
  return header;
}

export function messageRecord(message: Message): MessageRecord {
  return { type: 'message', ...message };
}

export function updateRecord(id: string, patch: SessionPatch, updatedAt: string): UpdateRecord {
  return { type: 'update', id, ...patch, updatedAt };
}

export function editRecord(id: string, messageId: string, patch: MessagePatch): EditRecord {
  return { type: 'edit', id, messageId, ...patch };
}

/** One JSON line per record: the file stays readable, diffable and appendable. */
export function toLines(records: readonly object[]): string {
  return records.map((record) => `${JSON.stringify(record)}\n`).join('');
}

export type ParsedRecord =
  | { ok: true; kind: 'header'; record: HeaderRecord }
  | { ok: true; kind: 'body'; record: BodyRecord }
  | { ok: false; what: string };

/** Validates one untrusted record; the header is only ever line 1. */
export function parseRecord(value: unknown, line: number): ParsedRecord {
  if (line === 1) {
    const newer = newerSchemaVersion(value);
    if (newer !== undefined) {
      return { ok: false, what: `written by a newer version of Multichat (schema ${newer})` };
    }
    const header = headerRecordSchema.safeParse(value);
    return header.success ? { ok: true, kind: 'header', record: header.data } : invalid('session header', header.error);
  }
  if (isObject(value) && value.type === 'session') {
    return { ok: false, what: 'a second session header, after line 1' };
  }
  const body = bodyRecordSchema.safeParse(value);
  return body.success ? { ok: true, kind: 'body', record: body.data } : invalid(recordName(value), body.error);
}

function newerSchemaVersion(value: unknown): number | undefined {
  if (isObject(value) && typeof value.schema === 'number' && value.schema > SCHEMA_VERSION) {
    return value.schema;
  }
  return undefined;
}

function recordName(value: unknown): string {
  return isObject(value) && typeof value.type === 'string' ? `${value.type} record` : 'record';
}

function invalid(what: string, error: z.ZodError): ParsedRecord {
  const issue = error.issues[0];
  const path = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return { ok: false, what: `invalid ${what} (${path}${issue.message})` };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
