import { invalidInput } from './errors';
import { Message, SessionSummary, compareLatest } from './model';
import { SearchHit } from './store';

// Plain-text matching shared by the backends that scan: a session matches when its title, or one
// of its messages, contains every query word (case-insensitive). Title matches rank first, then
// sessions with more matching messages, then the most recently updated.

const SNIPPET_RADIUS = 60;
export const TITLE_WEIGHT = 10;
export const DEFAULT_SEARCH_LIMIT = 50;

export function queryWords(query: string): string[] {
  const words = query.toLowerCase().split(/\s+/).filter((word) => word.length > 0);
  if (words.length === 0) {
    throw invalidInput('search needs at least one word');
  }
  return [...new Set(words)];
}

export function containsAll(text: string, words: readonly string[]): boolean {
  const lower = text.toLowerCase();
  return words.every((word) => lower.includes(word));
}

export function makeSnippet(text: string, words: readonly string[]): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const at = Math.max(0, flat.toLowerCase().indexOf(words[0]));
  const start = Math.max(0, at - SNIPPET_RADIUS);
  const end = Math.min(flat.length, at + words[0].length + SNIPPET_RADIUS);
  return `${start > 0 ? '…' : ''}${flat.slice(start, end)}${end < flat.length ? '…' : ''}`;
}

/** Scores one session against the words; undefined when it does not match. */
export function matchSession(
  summary: SessionSummary,
  messages: readonly Pick<Message, 'id' | 'content'>[],
  words: readonly string[],
): SearchHit | undefined {
  const matching = messages.filter((message) => containsAll(message.content, words));
  const titleMatches = containsAll(summary.title, words);
  if (!titleMatches && matching.length === 0) {
    return undefined;
  }
  const first = matching[0];
  return {
    sessionId: summary.id,
    messageId: titleMatches || !first ? null : first.id,
    title: summary.title,
    snippet: makeSnippet(titleMatches || !first ? summary.title : first.content, words),
    score: (titleMatches ? TITLE_WEIGHT : 0) + matching.length,
  };
}

/** Best first, ties broken as lists order sessions: latest message first, then by id. */
export function rankHits(hits: SearchHit[], lastMessageAt: (id: string) => string, limit?: number): SearchHit[] {
  hits.sort((a, b) => b.score - a.score || compareLatest(lastMessageAt(a.sessionId), a.sessionId, lastMessageAt(b.sessionId), b.sessionId));
  return hits.slice(0, limit ?? DEFAULT_SEARCH_LIMIT);
}
