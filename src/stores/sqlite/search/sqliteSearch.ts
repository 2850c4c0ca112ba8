import { DEFAULT_SEARCH_LIMIT, matchingMessages, titleCounts } from '../../../core/search';
import { Message, SessionSummary } from '../../../core/model';
import { SearchQuery, summaryMatches } from '../../../core/searchQuery';
import { makeSnippet } from '../../../core/textSearch/snippet';
import { textMatches } from '../../../core/textSearch/textMatch';
import { SearchHit } from '../../../core/store';
import { FtsPlan, planSearch } from './ftsQuery';
import { MESSAGES_PER_SESSION } from '../database/schema';
import { MessageMatches, Ranking, rankSessions } from './searchRanking';
import { Statements } from '../database/statements';
import { rankByText } from './textRanking';

// Full-text search over the FTS4 indexes with the ranking every backend shares (see
// searchRanking.ts). Matches are counted per session in SQL from the index alone; for plain words
// found in most messages, where that means counting nearly every message, the likely winners are
// read instead (textRanking.ts), with the same result. Message text is otherwise only read for
// the snippets of the hits returned (and for candidates that need the substring re-check, see
// ftsQuery.ts).

export interface SearchRequest {
  query: SearchQuery;
  limit?: number;
  /** The sessions' summaries, in step with the database. */
  summaries: ReadonlyMap<string, SessionSummary>;
  /** A session's id from its rowid (`sid`). */
  sessionIdOf: (sid: number) => string | undefined;
}

export function searchDatabase(sql: Statements, request: SearchRequest): SearchHit[] {
  const { query } = request;
  const summaries = sessionsPassing(request.summaries, query);
  const plan = planSearch(query);
  const titles = matchTitles(sql, plan, summaries, query);
  const limit = request.limit ?? DEFAULT_SEARCH_LIMIT;
  const matches = (content: string): boolean => textMatches(content, query.terms);
  const ranking = (plan.recheck ? undefined : rankByText(sql, { matches, limit, summaries, titles })) ?? rankByIndex(sql, plan, { ...request, summaries }, titles);
  return ranking.hits.map((hit) => (titles.has(hit.sessionId) ? titleHit(hit, query) : messageHit(sql, hit, ranking.messages.get(hit.sessionId), query)));
}

/** The summaries of the sessions the tag and source filters let through (all, without such filters). */
function sessionsPassing(summaries: ReadonlyMap<string, SessionSummary>, query: SearchQuery): ReadonlyMap<string, SessionSummary> {
  if (query.tags.length === 0 && query.sources.length === 0) {
    return summaries;
  }
  return new Map([...summaries].filter(([, summary]) => summaryMatches(query, summary)));
}

/** Ranks every matching session, counting matching messages with the index. */
export function rankByIndex(sql: Statements, plan: FtsPlan, request: SearchRequest, titles: ReadonlySet<string>): Ranking {
  const { query, summaries, limit } = request;
  const found = plan.recheck ? matchMessagesChecked(sql, plan, query) : matchMessagesCounted(sql, plan, request.sessionIdOf);
  const messages = summaries === request.summaries ? found : new Map([...found].filter(([sessionId]) => summaries.has(sessionId)));
  return rankSessions({ titles, messages, summaries, limit });
}

function titleHit(hit: SearchHit, query: SearchQuery): SearchHit {
  return { ...hit, ...makeSnippet(hit.title, query.terms) };
}

/** Message text is read only here, for the hits returned. */
function messageHit(sql: Statements, hit: SearchHit, matches: MessageMatches | undefined, query: SearchQuery): SearchHit {
  const [id, content] = sql.one('SELECT id, content FROM messages WHERE seq = ?', [matches?.firstSeq ?? -1]) ?? ['', ''];
  return { ...hit, messageId: String(id), ...makeSnippet(String(content), query.terms) };
}

/**
 * Ids of the sessions (of those given) whose title counts for the query: candidates from the
 * title index, checked with the shared rule. Checking every title instead cost ~7 ms a search
 * over 10,000 sessions.
 */
export function matchTitles(sql: Statements, plan: FtsPlan, summaries: ReadonlyMap<string, SessionSummary>, query: SearchQuery): Set<string> {
  const rows = sql.all('SELECT s.id, s.title FROM title_fts JOIN sessions s ON s.sid = title_fts.docid WHERE title_fts MATCH ?', [plan.match]);
  return new Set(rows.map(([id, title]) => [String(id), String(title)]).filter(([id, title]) => summaries.has(id) && titleCounts(query, title)).map(([id]) => id));
}

/**
 * Counts each session's matching messages from the index's docids alone. They are grouped here rather
 * than with GROUP BY, which sorts them all first (twice the time for a word in thousands of messages);
 * FTS hands docids in order, so a session's run is counted without a lookup.
 */
function matchMessagesCounted(sql: Statements, plan: FtsPlan, sessionIdOf: (sid: number) => string | undefined): Map<string, MessageMatches> {
  const bySid = new Map<number, MessageMatches>();
  let sid = -1;
  let current: MessageMatches | undefined;
  sql.each('SELECT docid FROM message_fts WHERE message_fts MATCH ?', [plan.match], ([value]) => {
    const docid = Number(value);
    const rowSid = Math.floor(docid / MESSAGES_PER_SESSION);
    if (rowSid !== sid || current === undefined) {
      sid = rowSid;
      current = bySid.get(sid) ?? { count: 0, firstSeq: docid };
      bySid.set(sid, current);
    }
    current.count++;
    current.firstSeq = Math.min(current.firstSeq, docid);
  });
  // Ties in the ranking keep this order (by rowid): FTS gives it already; sorting covers any other order.
  const sids = [...bySid.keys()];
  if (sids.some((value, i) => i > 0 && value < sids[i - 1])) {
    sids.sort((a, b) => a - b);
  }
  const matches = new Map<string, MessageMatches>();
  for (const rowSid of sids) {
    const counted = bySid.get(rowSid) as MessageMatches;
    const sessionId = sessionIdOf(rowSid);
    if (sessionId !== undefined) {
      matches.set(sessionId, counted);
    }
  }
  return matches;
}

/** Candidates from the index, re-checked with the shared rule and the filters on messages. */
function matchMessagesChecked(sql: Statements, plan: FtsPlan, query: SearchQuery): Map<string, MessageMatches> {
  const rows = sql.all(
    `SELECT m.session_id, m.seq, m.content, m.role, m.created_at FROM message_fts JOIN messages m ON m.seq = message_fts.docid
     WHERE message_fts MATCH ? ORDER BY m.seq`,
    [plan.match],
  );
  const matches = new Map<string, MessageMatches>();
  for (const [sessionId, seq, content, role, createdAt] of rows) {
    const message = { content: String(content), role: String(role) as Message['role'], createdAt: String(createdAt) };
    if (matchingMessages([message], query).length === 0) {
      continue;
    }
    const key = String(sessionId);
    const found = matches.get(key);
    matches.set(key, found ? { ...found, count: found.count + 1 } : { count: 1, firstSeq: Number(seq) });
  }
  return matches;
}
