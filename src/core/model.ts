import { z } from 'zod';
import { ID_PATTERN } from './ids';

// The data model and its validation. Everything read from files, imports, Redis or the command
// line passes through these schemas before it reaches a store.

export const SCHEMA_VERSION = 1;

export const ROLES = ['user', 'assistant', 'system'] as const;

const MAX_TITLE = 500;
const MAX_TAG = 100;
const MAX_TAGS = 100;
const MAX_CONTENT = 10 * 1024 * 1024;

export const idSchema = z.string().regex(ID_PATTERN, 'must be 1-64 characters of A-Z a-z 0-9 _ -');
export const timestampSchema = z.iso.datetime({ offset: false });
export const titleSchema = z.string().trim().min(1, 'must not be empty').max(MAX_TITLE);
export const tagSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_TAG)
  .regex(/^[^\s,]+$/, 'must not contain spaces or commas');
export const roleSchema = z.enum(ROLES);

export const messageSchema = z.strictObject({
  id: idSchema,
  role: roleSchema,
  content: z.string().max(MAX_CONTENT),
  createdAt: timestampSchema,
  model: z.string().max(200).optional(),
  author: z.string().max(200).optional(),
  incomplete: z.boolean().optional(),
});
export type Message = z.infer<typeof messageSchema>;

const sessionFields = {
  id: idSchema,
  title: titleSchema,
  createdAt: timestampSchema,
  /** When anything about the session last changed, metadata included. */
  updatedAt: timestampSchema,
  /**
   * When its latest message was written (its createdAt while it has none): the time lists sort
   * and group by, so tidying a session (tags, pin, rename) does not move it. Always derived from
   * the messages, never taken from input.
   */
  lastMessageAt: timestampSchema,
  /**
   * True while the title is a placeholder: the first user message names the session. A title
   * given at creation or by a rename clears it for good.
   */
  untitled: z.boolean(),
  tags: z.array(tagSchema).max(MAX_TAGS),
  pinned: z.boolean(),
  source: z.string().max(100),
};

export const summarySchema = z.strictObject({ ...sessionFields, messageCount: z.number().int().min(0) });
export type SessionSummary = z.infer<typeof summarySchema>;

export const sessionSchema = z.strictObject({ ...sessionFields, messages: z.array(messageSchema) });
export type Session = z.infer<typeof sessionSchema>;

/**
 * A complete session as files, journals and bundles hold it: those written before
 * `lastMessageAt` and `untitled` existed lack them (completeSession derives both).
 */
export const storedSessionSchema = sessionSchema.extend({
  lastMessageAt: timestampSchema.optional(),
  untitled: z.boolean().optional(),
});
export type StoredSession = z.infer<typeof storedSessionSchema>;

/** The session with `lastMessageAt` derived from its messages and `untitled` defaulted. */
export function completeSession(stored: StoredSession): Session {
  return { ...stored, lastMessageAt: lastMessageTime(stored.createdAt, stored.messages), untitled: stored.untitled ?? false };
}

/** The latest of `since` and the messages' times. */
export function lastMessageTime(since: string, messages: readonly Pick<Message, 'createdAt'>[]): string {
  return messages.reduce((latest, message) => laterOf(latest, message.createdAt), since);
}

export const newMessageSchema = messageSchema.partial({ id: true, createdAt: true });
export type NewMessage = z.input<typeof newMessageSchema>;

export const newSessionSchema = z.strictObject({
  id: idSchema.optional(),
  /** Without one the session is untitled: its first user message names it. */
  title: titleSchema.optional(),
  createdAt: timestampSchema.optional(),
  updatedAt: timestampSchema.optional(),
  /** Accepted so that a complete session can be re-created; derived from the messages anyway. */
  lastMessageAt: timestampSchema.optional(),
  /** Only imports and migrations set this, to carry a placeholder title across as one. */
  untitled: z.boolean().optional(),
  tags: z.array(tagSchema).max(MAX_TAGS).optional(),
  pinned: z.boolean().optional(),
  source: z.string().max(100).optional(),
  messages: z.array(newMessageSchema).optional(),
});
export type NewSession = z.input<typeof newSessionSchema>;

export const sessionPatchSchema = z.strictObject({
  title: titleSchema.optional(),
  pinned: z.boolean().optional(),
  addTags: z.array(tagSchema).max(MAX_TAGS).optional(),
  removeTags: z.array(tagSchema).max(MAX_TAGS).optional(),
  /** Only imports and migrations set this, to carry the source's timestamp across. */
  updatedAt: timestampSchema.optional(),
});
export type SessionPatch = z.input<typeof sessionPatchSchema>;

export const messagePatchSchema = z.strictObject({
  content: z.string().max(MAX_CONTENT).optional(),
  incomplete: z.boolean().optional(),
});
export type MessagePatch = z.input<typeof messagePatchSchema>;

/** Message ids in a requested order (see SessionStore.reorderMessages): each at most once. */
export const messageOrderSchema = z.array(idSchema).superRefine((ids, context) => {
  const seen = new Set<string>();
  for (const [index, id] of ids.entries()) {
    if (seen.has(id)) {
      context.addIssue({ code: 'custom', path: [index], message: `id ${id} appears twice` });
      return;
    }
    seen.add(id);
  }
});

export function summarize(session: Session): SessionSummary {
  const { messages, ...fields } = session;
  return { ...fields, messageCount: messages.length };
}

let lastNow = 0;

/**
 * The current time as ISO-8601 UTC, strictly increasing within a process so that "latest
 * first" holds even for messages written in the same millisecond.
 */
export function nowIso(): string {
  lastNow = Math.max(Date.now(), lastNow + 1);
  return new Date(lastNow).toISOString();
}

/** The later of two ISO timestamps (they sort as strings). */
export function laterOf(a: string, b: string): string {
  return a >= b ? a : b;
}

/** Applies tag additions and removals, keeping order and dropping duplicates. */
export function applyTagChanges(tags: readonly string[], patch: SessionPatch): string[] {
  const removed = new Set(patch.removeTags ?? []);
  const next = tags.filter((tag) => !removed.has(tag));
  for (const tag of patch.addTags ?? []) {
    if (!next.includes(tag) && !removed.has(tag)) {
      next.push(tag);
    }
  }
  return next;
}

/** Latest message first; ties broken by id so the order is stable across backends. */
export function compareSummaries(a: SessionSummary, b: SessionSummary): number {
  return compareLatest(a.lastMessageAt, a.id, b.lastMessageAt, b.id);
}

/** compareSummaries from the two fields it orders by (search ranks its ties this way too). */
export function compareLatest(aLastMessageAt: string, aId: string, bLastMessageAt: string, bId: string): number {
  if (aLastMessageAt !== bLastMessageAt) {
    return aLastMessageAt < bLastMessageAt ? 1 : -1;
  }
  return aId < bId ? 1 : aId > bId ? -1 : 0;
}
