import { z } from 'zod';
import { invalidInput } from './errors';
import { newId } from './ids';
import {
  Message,
  MessagePatch,
  NewMessage,
  NewSession,
  Session,
  SessionPatch,
  messageOrderSchema,
  messagePatchSchema,
  newMessageSchema,
  newSessionSchema,
  nowIso,
  sessionPatchSchema,
  storedSessionSchema,
  completeSession,
  laterOf,
  lastMessageTime,
} from './model';
import { UNTITLED_TITLE } from './messageTitle';
import { firstUserTitle } from './sessionRules';

/** Parses untrusted data with a schema, turning the first issue into one readable sentence. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw invalidInput(`invalid ${what}: ${describeIssue(result.error.issues[0])}`);
  }
  return result.data;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue.message}`;
}

/** Fills in ids and timestamps of new messages after validating them. */
export function prepareMessages(input: readonly NewMessage[], now = nowIso()): Message[] {
  const messages = input.map((message, index) =>
    parseOrThrow(newMessageSchema, message, `message ${index + 1}`),
  );
  const seen = new Set<string>();
  return messages.map((message) => {
    const id = message.id ?? newId();
    if (seen.has(id)) {
      throw invalidInput(`invalid messages: id ${id} appears twice`);
    }
    seen.add(id);
    return { ...message, id, createdAt: message.createdAt ?? now };
  });
}

/**
 * Turns a validated creation request into a complete session. Without a title it is untitled,
 * unless one of its messages is a user's with text, which names it at once.
 */
export function prepareSession(input: NewSession): Session {
  const parsed = parseOrThrow(newSessionSchema, input, 'session');
  const now = nowIso();
  const createdAt = parsed.createdAt ?? now;
  const messages = prepareMessages(parsed.messages ?? [], createdAt);
  const lastMessageAt = lastMessageTime(createdAt, messages);
  return {
    id: parsed.id ?? newId(),
    ...initialTitle(parsed.title, parsed.untitled, messages),
    createdAt,
    updatedAt: laterOf(parsed.updatedAt ?? createdAt, lastMessageAt),
    lastMessageAt,
    tags: [...new Set(parsed.tags ?? [])],
    pinned: parsed.pinned ?? false,
    source: parsed.source ?? 'multichat',
    messages,
  };
}

/** A given title is kept (as set, unless `untitled` says it is a placeholder carried across). */
function initialTitle(title: string | undefined, untitled: boolean | undefined, messages: readonly Message[]): { title: string; untitled: boolean } {
  const waiting = untitled ?? title === undefined;
  const named = waiting ? firstUserTitle(messages) : undefined;
  return { title: named ?? title ?? UNTITLED_TITLE, untitled: waiting && named === undefined };
}

export function prepareMessagePatch(patch: MessagePatch): MessagePatch {
  return parseOrThrow(messagePatchSchema, patch, 'message update');
}

export function prepareOrder(order: readonly string[]): string[] {
  return parseOrThrow(messageOrderSchema, order, 'message order');
}

export function preparePatch(patch: SessionPatch): SessionPatch {
  return parseOrThrow(sessionPatchSchema, patch, 'update');
}

/** Validates a complete session from an untrusted source (file, bundle, Redis). */
export function parseSession(value: unknown, what = 'session'): Session {
  const session = completeSession(parseOrThrow(storedSessionSchema, value, what));
  const seen = new Set<string>();
  for (const message of session.messages) {
    if (seen.has(message.id)) {
      throw invalidInput(`invalid ${what}: message id ${message.id} appears twice`);
    }
    seen.add(message.id);
  }
  return session;
}
