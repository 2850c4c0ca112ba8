import { Message, SessionSummary, laterOf, lastMessageTime, nowIso } from '../../../core/model';
import { UNTITLED_TITLE } from '../../../core/messageTitle';
import { firstUserTitle } from '../../../core/sessionRules';

// The summaries --repair writes: a session's own, recounted after its messages were put in order,
// or a new one for messages whose summary was lost, made by the rules a new session follows.

/** The summary counting these messages; its times follow them if the set of messages changed. */
export function recounted(summary: SessionSummary, messages: readonly Message[], reordered: boolean): SessionSummary {
  if (!reordered) {
    return { ...summary, messageCount: messages.length };
  }
  const lastMessageAt = lastMessageTime(summary.createdAt, messages);
  return { ...summary, messageCount: messages.length, lastMessageAt, updatedAt: laterOf(summary.updatedAt, lastMessageAt) };
}

/** A summary for messages that lost theirs: named by its first user message, as a new session would be. */
export function recovered(id: string, messages: readonly Message[]): SessionSummary {
  const createdAt = messages.reduce((earliest, message) => (message.createdAt < earliest ? message.createdAt : earliest), messages[0]?.createdAt ?? nowIso());
  const lastMessageAt = lastMessageTime(createdAt, messages);
  const title = firstUserTitle(messages);
  return {
    id, title: title ?? UNTITLED_TITLE, untitled: title === undefined, createdAt, updatedAt: lastMessageAt, lastMessageAt,
    tags: [], pinned: false, source: 'multichat', messageCount: messages.length,
  };
}
