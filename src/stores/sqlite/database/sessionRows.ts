import { Message, Session, SessionSummary } from '../../../core/model';
import { MESSAGES_PER_SESSION } from './schema';
import { Row, Statements } from './statements';

// Turns database rows back into the model's objects; optional fields stay absent when unset.

const SUMMARY_SELECT = 'SELECT id, title, created_at, updated_at, pinned, source, message_count, last_message_at, untitled FROM sessions';
const MESSAGE_SELECT = 'SELECT id, role, content, created_at, model, author, incomplete FROM messages';

function readSummary(sql: Statements, id: string): SessionSummary | undefined {
  const row = sql.one(`${SUMMARY_SELECT} WHERE id = ?`, [id]);
  if (!row) {
    return undefined;
  }
  const tags = sql.all('SELECT tag FROM tags WHERE session_id = ? ORDER BY position', [id]).map((tagRow) => String(tagRow[0]));
  return toSummary(row, tags);
}

export function readAllSummaries(sql: Statements): SessionSummary[] {
  const tagsBySession = new Map<string, string[]>();
  for (const [sessionId, tag] of sql.all('SELECT session_id, tag FROM tags ORDER BY session_id, position')) {
    const key = String(sessionId);
    const tags = tagsBySession.get(key) ?? [];
    tags.push(String(tag));
    tagsBySession.set(key, tags);
  }
  return sql.all(SUMMARY_SELECT).map((row) => toSummary(row, tagsBySession.get(String(row[0])) ?? []));
}

export function readSession(sql: Statements, id: string): Session | undefined {
  const summary = readSummary(sql, id);
  if (!summary) {
    return undefined;
  }
  const messages = sql.all(`${MESSAGE_SELECT} WHERE session_id = ? ORDER BY seq`, [id]).map(messageFromRow);
  const { id: sessionId, title, createdAt, updatedAt, lastMessageAt, untitled, tags, pinned, source } = summary;
  return { id: sessionId, title, createdAt, updatedAt, lastMessageAt, untitled, tags, pinned, source, messages };
}

/** Every session's version: the id of the last operation applied to it (see applyOps.ts). */
export function readVersions(sql: Statements): Map<string, string> {
  return new Map(sql.all('SELECT id, last_op FROM sessions').map(([id, op]) => [String(id), String(op)]));
}

/** The message at `position` in the session's order, read by rowid range (seq numbers a session's messages). */
export function readMessageAt(sql: Statements, sessionId: string, position: number): Message | undefined {
  const sid = sql.one('SELECT sid FROM sessions WHERE id = ?', [sessionId])?.[0];
  if (typeof sid !== 'number') {
    return undefined;
  }
  const first = sid * MESSAGES_PER_SESSION;
  const row = sql.one(`${MESSAGE_SELECT} WHERE seq >= ? AND seq < ? ORDER BY seq LIMIT 1 OFFSET ?`, [first, first + MESSAGES_PER_SESSION, position]);
  return row && messageFromRow(row);
}

export function readMessage(sql: Statements, sessionId: string, messageId: string): Message | undefined {
  const row = sql.one(`${MESSAGE_SELECT} WHERE session_id = ? AND id = ?`, [sessionId, messageId]);
  return row && messageFromRow(row);
}

/** The session's message ids with their seq, in order. */
export function readMessagePositions(sql: Statements, sessionId: string): { seq: number; id: string }[] {
  return sql.all('SELECT seq, id FROM messages WHERE session_id = ? ORDER BY seq', [sessionId]).map(([seq, id]) => ({ seq: Number(seq), id: String(id) }));
}

function toSummary(row: Row, tags: string[]): SessionSummary {
  const [id, title, createdAt, updatedAt, pinned, source, messageCount, lastMessageAt, untitled] = row;
  return {
    id: String(id),
    title: String(title),
    createdAt: String(createdAt),
    updatedAt: String(updatedAt),
    lastMessageAt: String(lastMessageAt),
    untitled: untitled === 1,
    tags,
    pinned: pinned === 1,
    source: String(source),
    messageCount: Number(messageCount),
  };
}

/** A message from its row's columns, in MESSAGE_SELECT's order (id, role, content, created_at, model, author, incomplete). */
export function messageFromRow(row: Row): Message {
  const [id, role, content, createdAt, model, author, incomplete] = row;
  const message: Message = { id: String(id), role: String(role) as Message['role'], content: String(content), createdAt: String(createdAt) };
  if (model !== null) {
    message.model = String(model);
  }
  if (author !== null) {
    message.author = String(author);
  }
  if (incomplete !== null) {
    message.incomplete = incomplete === 1;
  }
  return message;
}
