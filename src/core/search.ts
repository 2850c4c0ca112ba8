import { invalidInput } from './errors';
import { Message, SessionSummary, compareLatest } from './model';
import { SearchQuery, SearchProblem, filtersMessages, parseSearchQuery, summaryMatches, withinDates } from './searchQuery';
import { SearchHit } from './store';
import { makeSnippet } from './textSearch/snippet';
import { textMatches } from './textSearch/textMatch';

// The ranking every backend shares: a session matches when its title, or one of its messages,
// holds every term of the query (textMatch.ts) and it passes the filters. Title matches rank
// first, then sessions with more matching messages, then the most recently active. With a
// role or date filter only messages count, since a title has neither.

export const TITLE_WEIGHT = 10;
export const DEFAULT_SEARCH_LIMIT = 50;

/** The query a store's search takes: words and phrases, with any filters; invalid-input otherwise. */
export function parseStoreQuery(text: string): SearchQuery {
  const query = parseSearchQuery(text);
  const problem = query.problems[0];
  if (problem) {
    throw invalidInput(describeProblem(problem));
  }
  if (query.terms.length === 0) {
    throw invalidInput('search needs at least one word');
  }
  return query;
}

function describeProblem(problem: SearchProblem): string {
  if (problem.kind === 'empty') {
    return `search filter "${problem.token}" needs a value`;
  }
  return problem.kind === 'role'
    ? `search filter "${problem.token}": the role must be user, assistant or system`
    : `search filter "${problem.token}": the date must be YYYY-MM-DD`;
}

/** Whether a session's title counts for the query (it passes the session's filters, and none is on messages). */
export function titleCounts(query: SearchQuery, title: string): boolean {
  return !filtersMessages(query) && textMatches(title, query.terms);
}

/** Scores one session against the query; undefined when it does not match. */
export function matchSession(
  summary: Pick<SessionSummary, 'id' | 'title' | 'tags' | 'source'>,
  messages: readonly Pick<Message, 'id' | 'role' | 'content' | 'createdAt'>[],
  query: SearchQuery,
): SearchHit | undefined {
  if (!summaryMatches(query, summary)) {
    return undefined;
  }
  const matching = matchingMessages(messages, query);
  const titleMatches = titleCounts(query, summary.title);
  if (!titleMatches && matching.length === 0) {
    return undefined;
  }
  const first = titleMatches ? undefined : matching[0];
  return {
    sessionId: summary.id,
    messageId: first ? first.id : null,
    title: summary.title,
    ...makeSnippet(first ? first.content : summary.title, query.terms),
    score: (titleMatches ? TITLE_WEIGHT : 0) + matching.length,
  };
}

/** Best first, ties broken as lists order sessions: latest message first, then by id. */
export function rankHits(hits: SearchHit[], lastMessageAt: (id: string) => string, limit?: number): SearchHit[] {
  hits.sort((a, b) => b.score - a.score || compareLatest(lastMessageAt(a.sessionId), a.sessionId, lastMessageAt(b.sessionId), b.sessionId));
  return hits.slice(0, limit ?? DEFAULT_SEARCH_LIMIT);
}

/** The messages holding every term, of the wanted roles and days, in the session's order. */
export function matchingMessages<T extends Pick<Message, 'role' | 'content' | 'createdAt'>>(messages: readonly T[], query: SearchQuery): T[] {
  return messages.filter(
    (message) =>
      (query.roles.length === 0 || query.roles.includes(message.role)) && withinDates(query, message.createdAt) && textMatches(message.content, query.terms),
  );
}
