import { z } from 'zod';
import { idSchema, sessionPatchSchema } from '../../core/model';

// The records of a local store's sharing log (sharingLog.ts): which sessions are mirrored through
// Redis, and the outbox of changes still to push there. Every record carries an id; readers keep
// the first copy of each (a log rewrite racing an appender can leave one twice). The log is read
// from disk: untrusted, validated here.

/** What happens to a credential found in a message before it is pushed. */
export const SECRET_POLICIES = ['hold', 'redact', 'allow'] as const;
export type SecretPolicy = (typeof SECRET_POLICIES)[number];

/**
 * `shared`: this store shared the session (stopping removes the team's copy); `followed`: pulled
 * from the team's namespace (stopping only stops following). Both are mirrored both ways.
 */
export const SHARE_MODES = ['shared', 'followed'] as const;
export type ShareMode = (typeof SHARE_MODES)[number];

const shareRecord = z.strictObject({
  type: z.literal('share'),
  id: idSchema,
  sessionId: idSchema,
  mode: z.enum(SHARE_MODES),
  secrets: z.enum(SECRET_POLICIES),
});

/** `remote` marks a session whose team copy went away (its sharer stopped sharing it). */
const stopRecord = z.strictObject({ type: z.literal('stop'), id: idSchema, sessionId: idSchema, by: z.enum(['user', 'remote']) });

/** A message pushed with its credentials redacted: its local content is not the team's, on purpose. */
const redactedRecord = z.strictObject({ type: z.literal('redacted'), id: idSchema, sessionId: idSchema, messageId: idSchema });

/**
 * The outbox: what to push, in file order. Message ops name messages, not their content: the push
 * reads the local copy as it is then, so a streamed reply's hundred edits push its latest text.
 */
export const outboxOpSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('share'), sessionId: idSchema }),
  z.strictObject({ op: z.literal('append'), sessionId: idSchema, messageIds: z.array(idSchema).min(1).max(10_000) }),
  z.strictObject({ op: z.literal('edit'), sessionId: idSchema, messageId: idSchema }),
  // Without updatedAt: each replica keeps its own clock's time, and Redis stamps the change as it takes it.
  z.strictObject({ op: z.literal('update'), sessionId: idSchema, patch: sessionPatchSchema.omit({ updatedAt: true }) }),
  z.strictObject({ op: z.literal('unshare'), sessionId: idSchema }),
  // The session's messages in a new order: the push sends the local order as it is then.
  z.strictObject({ op: z.literal('order'), sessionId: idSchema }),
]);
export type OutboxOp = z.infer<typeof outboxOpSchema>;

const opRecord = z.strictObject({ type: z.literal('op'), id: idSchema, change: outboxOpSchema });

/**
 * These ops have reached Redis (or were dropped: their session is no longer shared). Ops of one
 * session are pushed in file order; one held back (a credential, see secretGate.ts) holds back
 * those after it, not other sessions'.
 */
const pushedRecord = z.strictObject({ type: z.literal('pushed'), id: idSchema, ops: z.array(idSchema).min(1).max(100_000) });

export const sharingRecordSchema = z.discriminatedUnion('type', [shareRecord, stopRecord, redactedRecord, opRecord, pushedRecord]);
export type SharingRecord = z.infer<typeof sharingRecordSchema>;
export type OpRecord = z.infer<typeof opRecord>;
