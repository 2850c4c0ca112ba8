import { DEFAULT_SEARCH_LIMIT, containsAll, makeSnippet } from '../../../core/search';
import { SessionSummary } from '../../../core/model';
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
  words: readonly string[];
  limit?: number;
  /** The sessions' summaries, in step with the database. */
  summaries: ReadonlyMap<string, SessionSummary>;
  /** A session's id from its rowid (`sid`). */
  sessionIdOf: (sid: number) => string | undefined;
}

export function searchDatabase(sql: Statements, request: SearchRequest): SearchHit[] {
  const { words, summaries } = request;
  const plan = planSearch(words);
  const titles = matchTitles(sql, plan, words);
  const limit = request.limit ?? DEFAULT_SEARCH_LIMIT;
  const ranking = (plan.recheck ? undefined : rankByText(sql, { words, limit, summaries, titles })) ?? rankByIndex(sql, plan, request, titles);
  return ranking.hits.map((hit) => (titles.has(hit.sessionId) ? titleHit(hit, words) : messageHit(sql, hit, ranking.messages.get(hit.sessionId), words)));
}

/** Ranks every matching session, counting matching messages with the index. */
export function rankByIndex(sql: Statements, plan: FtsPlan, request: SearchRequest, titles: ReadonlySet<string>): Ranking {
  const { words, summaries, limit } = request;
  const messages = plan.recheck ? matchMessagesChecked(sql, plan, words) : matchMessagesCounted(sql, plan, request.sessionIdOf);
  return rankSessions({ titles, messages, summaries, limit });
}

function titleHit(hit: SearchHit, words: readonly string[]): SearchHit {
  return { ...hit, snippet: makeSnippet(hit.title, words) };
}

/** Message text is read only here, for the hits returned. */
function messageHit(sql: Statements, hit: SearchHit, matches: MessageMatches | undefined, words: readonly string[]): SearchHit {
  const [id, content] = sql.one('SELECT id, content FROM messages WHERE seq = ?', [matches?.firstSeq ?? -1]) ?? ['', ''];
  return { ...hit, messageId: String(id), snippet: makeSnippet(String(content), words) };
}

/** Ids of sessions whose title holds every word (titles are short: always re-checked), by rowid. */
export function matchTitles(sql: Statements, plan: FtsPlan, words: readonly string[]): Set<string> {
  const rows = plan.match
    ? sql.all('SELECT s.id, s.title FROM title_fts JOIN sessions s ON s.sid = title_fts.docid WHERE title_fts MATCH ?', [plan.match])
    : sql.all('SELECT id, title FROM sessions');
  return new Set(rows.filter(([, title]) => containsAll(String(title), words)).map(([id]) => String(id)));
}

/**
 * Counts each session's matching messages from the index's docids alone. They are grouped here rather
 * than with GROUP BY, which sorts them all first (twice the time for a word in thousands of messages);
 * FTS hands docids in order, so a session's run is counted without a lookup.
 */
function matchMessagesCounted(sql: Statements, plan: FtsPlan, sessionIdOf: (sid: number) => string | undefined): Map<string, MessageMatches> {
  if (plan.match === undefined) {
    return new Map();
  }
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

/** Candidates from the index (or, for words without letters or digits, a scan), re-checked. */
function matchMessagesChecked(sql: Statements, plan: FtsPlan, words: readonly string[]): Map<string, MessageMatches> {
  const rows = plan.match
    ? sql.all(
        `SELECT m.session_id, m.seq, m.content FROM message_fts JOIN messages m ON m.seq = message_fts.docid
         WHERE message_fts MATCH ? ORDER BY m.seq`,
        [plan.match],
      )
    : sql.all('SELECT session_id, seq, content FROM messages WHERE instr(content, ?) > 0 ORDER BY seq', [words[0]]);
  const matches = new Map<string, MessageMatches>();
  for (const [sessionId, seq, content] of rows) {
    if (!containsAll(String(content), words)) {
      continue;
    }
    const key = String(sessionId);
    const found = matches.get(key);
    matches.set(key, found ? { ...found, count: found.count + 1 } : { count: 1, firstSeq: Number(seq) });
  }
  return matches;
}
