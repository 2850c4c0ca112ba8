// The one way importers turn what they read into a Session: ids namespaced by source and kept
// stable (so a re-import finds what the last one wrote), times made ISO-8601 UTC, a title when the
// source has none, and the result validated by the model's own schema. Everything here is
// deterministic — the same source file always gives the same session — which is what makes
// re-importing idempotent.
import { createHash } from 'node:crypto';
import { ID_PATTERN } from '../../core/ids';
import { Message, Session, lastMessageTime, laterOf, sessionSchema } from '../../core/model';
import { titleFromMessage } from '../../core/messageTitle';
import { parseWith } from './importErrors';

export interface DraftMessage {
  /** The source's own id for the message, or one derived from its place (see sourceId). */
  id: string;
  role: Message['role'];
  content: string;
  createdAt?: string;
  model?: string;
  incomplete?: boolean;
}

export interface DraftSession {
  /** Already namespaced: sourceId(source, theirId). */
  id: string;
  /** What Session.source records, e.g. `copilot`, `roo`. */
  source: string;
  title?: string;
  createdAt?: string;
  updatedAt?: string;
  messages: DraftMessage[];
}

const MAX_ID_LENGTH = 64;
const MAX_TITLE_LENGTH = 500;
const MAX_CONTENT_LENGTH = 10 * 1024 * 1024;
/** Used for a session whose source gives no time at all, so that its times are still stable. */
const NO_TIME = '1970-01-01T00:00:00.000Z';

/**
 * A Multichat id for the source's id `raw`: `<prefix>-<raw>` when that is a valid id, else the
 * prefix and a hash of `raw` (an id too long or holding other characters still maps to one id).
 */
export function sourceId(prefix: string, raw: string): string {
  const plain = `${prefix}-${raw}`;
  if (plain.length <= MAX_ID_LENGTH && ID_PATTERN.test(plain)) {
    return plain;
  }
  return `${prefix}-${createHash('sha256').update(raw).digest('hex').slice(0, 40)}`;
}

// Years 1970 to 9999: what an ISO-8601 UTC timestamp of the model can hold.
const LATEST_TIME = 253402300799999;

/**
 * An ISO timestamp from a source's time: epoch milliseconds (a number or a string of digits), or
 * an ISO date string. Undefined for anything else or out of range — importers then fall back.
 */
export function isoTime(value: unknown): string | undefined {
  const millis = typeof value === 'number' ? value : typeof value === 'string' ? timeOfString(value) : NaN;
  if (!Number.isFinite(millis) || millis < 0 || millis > LATEST_TIME) {
    return undefined;
  }
  return new Date(Math.trunc(millis)).toISOString();
}

function timeOfString(value: string): number {
  return /^\d{1,16}$/.test(value) ? Number(value) : Date.parse(value);
}

/**
 * The session the draft describes, checked by the model's schema; `file` names it in an error.
 * Times: a message without one takes the one before it (or the session's start); a session whose
 * source gives no start starts at its first message, and was updated no earlier than its last one.
 * Replies with no text (cancelled before any came) are left out; repeated message ids get their
 * position appended so each stays unique.
 */
export function finishSession(draft: DraftSession, file: string): Session {
  const messages = finishMessages(draft);
  const firstTime = messages[0]?.createdAt;
  const createdAt = draft.createdAt ?? firstTime ?? NO_TIME;
  const lastMessageAt = lastMessageTime(createdAt, messages);
  const title = cleanTitle(draft.title) ?? titleOfMessages(messages);
  const session = {
    id: draft.id,
    title: title ?? `Imported ${draft.source} session`,
    createdAt,
    updatedAt: laterOf(draft.updatedAt ?? createdAt, lastMessageAt),
    lastMessageAt,
    untitled: false,
    tags: [],
    pinned: false,
    source: draft.source,
    messages,
  };
  return parseWith(sessionSchema, session, file, [`session ${draft.id}`]);
}

function finishMessages(draft: DraftSession): Message[] {
  const seen = new Set<string>();
  let time = draft.createdAt ?? NO_TIME;
  const messages: Message[] = [];
  for (const [index, message] of draft.messages.entries()) {
    time = message.createdAt ?? time;
    if (message.role === 'assistant' && message.content.trim() === '' && !message.incomplete) {
      continue;
    }
    const id = seen.has(message.id) || !ID_PATTERN.test(message.id) ? sourceId('m', `${message.id}#${index}`) : message.id;
    seen.add(id);
    messages.push(withOptional({ id, role: message.role, content: message.content.slice(0, MAX_CONTENT_LENGTH), createdAt: time }, message));
  }
  return messages;
}

function withOptional(base: Message, draft: DraftMessage): Message {
  const message: Message = { ...base };
  if (draft.model) {
    message.model = draft.model.slice(0, 200);
  }
  if (draft.incomplete) {
    message.incomplete = true;
  }
  return message;
}

function cleanTitle(title: string | undefined): string | undefined {
  const trimmed = title?.replace(/\s+/g, ' ').trim();
  return trimmed ? trimmed.slice(0, MAX_TITLE_LENGTH) : undefined;
}

function titleOfMessages(messages: readonly Message[]): string | undefined {
  const first = messages.find((message) => message.role === 'user');
  return first ? titleFromMessage(first.content) : undefined;
}
