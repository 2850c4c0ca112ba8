import { z } from 'zod';
import { ID_PATTERN } from '../../../core/ids';
import {
  Message,
  idSchema,
  messageOrderSchema,
  messagePatchSchema,
  messageSchema,
  sessionPatchSchema,
  completeSession,
  storedSessionSchema,
  timestampSchema,
} from '../../../core/model';

/**
 * The journal's records. Each change is one idempotent operation carrying everything needed to
 * apply it (a create holds the whole session, an update the time it was made), so replaying a
 * record that a snapshot already reflects is harmless. Records come from disk: untrusted.
 */
const distinctMessageIds = (messages: readonly Message[]): boolean =>
  new Set(messages.map((message) => message.id)).size === messages.length;

const createRecord = z.strictObject({
  type: z.literal('create'),
  id: idSchema,
  // Records written before lastMessageAt and untitled existed lack them: completeSession derives them.
  session: storedSessionSchema.refine((session) => distinctMessageIds(session.messages), 'message ids repeat').transform(completeSession),
});

const appendRecord = z.strictObject({
  type: z.literal('append'),
  id: idSchema,
  sessionId: idSchema,
  messages: z.array(messageSchema).min(1).refine(distinctMessageIds, 'message ids repeat'),
});

const updateRecord = z.strictObject({
  type: z.literal('update'),
  id: idSchema,
  sessionId: idSchema,
  patch: sessionPatchSchema,
  /** When the update was made: the session's updatedAt unless the patch sets one. */
  at: timestampSchema,
});

const updateMessageRecord = z.strictObject({
  type: z.literal('updateMessage'),
  id: idSchema,
  sessionId: idSchema,
  messageId: idSchema,
  patch: messagePatchSchema,
});

/** Puts the session's messages in a new order as of this record (see orderAfterReorder). */
const reorderRecord = z.strictObject({
  type: z.literal('reorder'),
  id: idSchema,
  sessionId: idSchema,
  messageIds: messageOrderSchema,
});

const deleteRecord = z.strictObject({ type: z.literal('delete'), id: idSchema, sessionId: idSchema });

/**
 * Written after each snapshot: the database file with inode `fileIno` holds every record up to
 * `covers`. The inode still names that copy once it has become the backup (it is hard-linked).
 */
const snapshotRecord = z.strictObject({
  type: z.literal('snapshot'),
  id: idSchema,
  covers: idSchema.nullable(),
  fileIno: z.number().int().min(0),
});

/** First line of a rotated journal: the records up to `after` were dropped. */
const rotatedRecord = z.strictObject({ type: z.literal('rotated'), id: idSchema, after: idSchema.nullable() });

export const sessionOpSchema = z.discriminatedUnion('type', [
  createRecord,
  appendRecord,
  updateRecord,
  updateMessageRecord,
  reorderRecord,
  deleteRecord,
]);
export type SessionOp = z.infer<typeof sessionOpSchema>;

export const journalRecordSchema = z.discriminatedUnion('type', [
  createRecord,
  appendRecord,
  updateRecord,
  updateMessageRecord,
  reorderRecord,
  deleteRecord,
  snapshotRecord,
  rotatedRecord,
]);
export type JournalRecord = z.infer<typeof journalRecordSchema>;

export function isSessionOp(record: JournalRecord): record is SessionOp {
  return record.type !== 'snapshot' && record.type !== 'rotated';
}

export function opSessionId(op: SessionOp): string {
  return op.type === 'create' ? op.session.id : op.sessionId;
}

/** The session a journal line names, before (or without) it passing validation: when it says, and with a valid id. */
export function namedSessionId(value: unknown): string | undefined {
  const record = value as { sessionId?: unknown; session?: { id?: unknown } } | null;
  const id = record?.sessionId ?? record?.session?.id;
  return typeof id === 'string' && ID_PATTERN.test(id) ? id : undefined;
}

/**
 * A position in the journal: the last record covered (`id`, or null before the first) and, as a
 * shortcut for a fast open, where that record sits in the journal file with inode `ino`.
 */
export const journalMarkSchema = z.strictObject({
  id: idSchema.nullable(),
  /** The `after` of the journal's rotated header (null if none) when the mark was taken. */
  header: idSchema.nullable(),
  ino: z.number().int().min(0),
  /** Start of the line holding record `id`. */
  lineStart: z.number().int().min(0),
  /** End of that line: reading resumes here. */
  offset: z.number().int().min(0),
});
export type JournalMark = z.infer<typeof journalMarkSchema>;

/** One JSON line, `type` and `id` first so that a glance at a line's start identifies it. */
export function serializeRecord(record: JournalRecord): string {
  return `${JSON.stringify(record)}\n`;
}
