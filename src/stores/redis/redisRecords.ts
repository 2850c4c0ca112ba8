import { Message, SessionSummary, idSchema, messageSchema, summarySchema } from '../../core/model';

// What the store reads from Redis is untrusted (another client, an older version or a person with
// redis-cli may have written it): every summary and message is size-checked and validated before
// use. A record that fails is reported with its key and skipped, never trusted and never a crash.

/** Title, tags and fields of a summary fit in far less; anything bigger is not ours. */
const MAX_SUMMARY_BYTES = 64 * 1024;
/** A message's content may be 10 MiB of characters; JSON escaping can grow it several times over. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

function parseJson(raw: unknown, limit: number): Parsed<unknown> {
  if (typeof raw !== 'string') {
    return { ok: false, problem: 'is not a string' };
  }
  if (raw.length > limit) {
    return { ok: false, problem: `is larger than ${limit} bytes` };
  }
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch {
    return { ok: false, problem: 'is not valid JSON' };
  }
}

export function parseSummary(raw: unknown, expectedId: string): Parsed<SessionSummary> {
  const json = parseJson(raw, MAX_SUMMARY_BYTES);
  if (!json.ok) {
    return json;
  }
  const parsed = summarySchema.safeParse(json.value);
  if (!parsed.success) {
    return { ok: false, problem: `is not a session summary (${describeIssue(parsed.error.issues[0])})` };
  }
  if (parsed.data.id !== expectedId) {
    return { ok: false, problem: `holds the summary of another session (${parsed.data.id})` };
  }
  return { ok: true, value: parsed.data };
}

export function parseMessage(raw: unknown, expectedId: string): Parsed<Message> {
  const json = parseJson(raw, MAX_MESSAGE_BYTES);
  if (!json.ok) {
    return json;
  }
  const parsed = messageSchema.safeParse(json.value);
  if (!parsed.success) {
    return { ok: false, problem: `is not a message (${describeIssue(parsed.error.issues[0])})` };
  }
  if (parsed.data.id !== expectedId) {
    return { ok: false, problem: `holds another message (${parsed.data.id})` };
  }
  return { ok: true, value: parsed.data };
}

function describeIssue(issue: { path: PropertyKey[]; message: string } | undefined): string {
  if (!issue) {
    return 'unknown problem';
  }
  return issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message;
}

/** The summary JSON the scripts store: the same fields, in the order the Lua encoder writes them. */
export function encodeSummary(summary: SessionSummary): string {
  const { id, title, createdAt, updatedAt, lastMessageAt, untitled, tags, pinned, source, messageCount } = summary;
  return JSON.stringify({ id, title, createdAt, updatedAt, lastMessageAt, untitled, tags, pinned, source, messageCount });
}

const CHANGE_KINDS = new Set(['created', 'appended', 'updated', 'deleted']);

/** Whether a change-feed entry's fields are the ones the write scripts add: k <kind> s <session id> w <writer>. */
export function isStoreChange(fields: unknown): boolean {
  return (
    Array.isArray(fields) && fields.length === 6 && fields[0] === 'k' && CHANGE_KINDS.has(String(fields[1])) &&
    fields[2] === 's' && idSchema.safeParse(fields[3]).success && fields[4] === 'w'
  );
}

/** A flat [field, value, field, value…] reply as pairs. */
export function pairsOf(flat: unknown): [string, unknown][] {
  const pairs: [string, unknown][] = [];
  if (Array.isArray(flat)) {
    for (let index = 0; index + 1 < flat.length; index += 2) {
      pairs.push([String(flat[index]), flat[index + 1]]);
    }
  }
  return pairs;
}
