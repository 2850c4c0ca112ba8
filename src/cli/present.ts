import { Message, Session, SessionSummary } from '../core/model';
import { SearchHit } from '../core/store';
import { oneLine } from './context';

/** The CLI's output shapes; other tools parse these, so they change only deliberately. */
export function summaryJson(summary: SessionSummary): Record<string, unknown> {
  const { id, title, createdAt, updatedAt, lastMessageAt, untitled, messageCount, tags, pinned } = summary;
  return { id, title, createdAt, updatedAt, lastMessageAt, untitled, messageCount, tags, pinned };
}

/** The time shown is the one list sorts by: the latest message's. */
export function summaryLine(summary: SessionSummary): string {
  return [summary.id, summary.lastMessageAt, String(summary.messageCount), oneLine(summary.title)].join('\t');
}

export function messageJson(message: Message): Record<string, unknown> {
  const { id, role, content, createdAt } = message;
  return { id, role, content, createdAt };
}

export function sessionJson(session: Session): Record<string, unknown> {
  return { ...summaryJson({ ...session, messageCount: session.messages.length }), messages: session.messages.map(messageJson) };
}

export function searchHitJson(hit: SearchHit): Record<string, unknown> {
  return { sessionId: hit.sessionId, messageId: hit.messageId, title: hit.title, snippet: hit.snippet };
}

export function searchHitLine(hit: SearchHit): string {
  return [hit.sessionId, hit.messageId ?? '-', oneLine(hit.title), oneLine(hit.snippet)].join('\t');
}
