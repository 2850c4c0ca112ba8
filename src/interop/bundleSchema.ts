// What an import accepts for one session of a bundle, and how a problem in it is named.
//
// Bundles may come from other programs, written to the shape the README documents: a session's
// summary fields (`messageCount` included) with its messages. So on import, unlike in a store,
// `source` is optional (default `multichat`), `messageCount` is accepted and must equal the number
// of messages, and any other field is ignored (counted, so the import summary can say so). What
// the model does hold is checked as strictly as anywhere else.
import { z } from 'zod';
import { invalidInput } from '../core/errors';
import { Session, completeSession, messageSchema, storedSessionSchema } from '../core/model';

const importedMessageSchema = z.object(messageSchema.shape);

// lastMessageAt and untitled are optional, as in bundles written before they existed;
// lastMessageAt is derived from the messages in any case.
const importedSessionSchema = z.object({
  ...storedSessionSchema.shape,
  source: storedSessionSchema.shape.source.default('multichat'),
  messageCount: z.number().int().min(0).optional(),
  messages: z.array(importedMessageSchema),
});

const SESSION_FIELDS = new Set(Object.keys(importedSessionSchema.shape));
const MESSAGE_FIELDS = new Set(Object.keys(importedMessageSchema.shape));

/** Unknown field occurrences by where they sit, e.g. `sessions[].messages[].tokens` → 40. */
export type IgnoredFields = Record<string, number>;

/** Validates `sessions[index]` of a bundle; every error names the place, e.g. `sessions[3].messages[2].role`. */
export function parseBundleSession(value: unknown, index: number, ignored: IgnoredFields): Session {
  const place = `sessions[${index}]`;
  const result = importedSessionSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw invalidAt(`${place}${pathText(issue.path)}`, issue.message);
  }
  const { messageCount, ...stored } = result.data;
  const session = completeSession(stored);
  if (messageCount !== undefined && messageCount !== session.messages.length) {
    throw invalidAt(`${place}.messageCount`, `${messageCount}, but the session has ${session.messages.length} messages`);
  }
  rejectDuplicateMessageIds(session, place);
  countUnknownFields(value as Record<string, unknown>, ignored);
  return session;
}

export function invalidAt(place: string, problem: string): Error {
  return invalidInput(`invalid bundle: ${place}: ${problem}`);
}

function rejectDuplicateMessageIds(session: Session, place: string): void {
  const seen = new Set<string>();
  for (const [index, message] of session.messages.entries()) {
    if (seen.has(message.id)) {
      throw invalidAt(`${place}.messages[${index}].id`, `message id ${message.id} appears twice`);
    }
    seen.add(message.id);
  }
}

/** Counts fields the model does not know; called only on a session the schema accepted. */
function countUnknownFields(session: Record<string, unknown>, ignored: IgnoredFields): void {
  countUnknown(session, SESSION_FIELDS, 'sessions[]', ignored);
  for (const message of session.messages as Record<string, unknown>[]) {
    countUnknown(message, MESSAGE_FIELDS, 'sessions[].messages[]', ignored);
  }
}

export function countUnknown(value: Record<string, unknown>, known: ReadonlySet<string>, where: string, ignored: IgnoredFields): void {
  for (const key of Object.keys(value)) {
    if (!known.has(key)) {
      const name = where ? `${where}.${key}` : key;
      ignored[name] = (ignored[name] ?? 0) + 1;
    }
  }
}

/** A zod path as JSON-path-like text: `.messages[2].role`. */
function pathText(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
}
