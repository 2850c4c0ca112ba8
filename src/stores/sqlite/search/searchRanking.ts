import { SessionSummary } from '../../../core/model';
import { DEFAULT_SEARCH_LIMIT, TITLE_WEIGHT, rankHits } from '../../../core/search';
import { SearchHit } from '../../../core/store';

// The ranking both ways of counting matches end in (sqliteSearch.ts counts with the index,
// textRanking.ts reads the text of likely winners): title matches first, then sessions with more
// matching messages, then the most recently updated. Sessions that tie on all of that keep the
// order they are handed in: title matches, then the others, each by rowid.

export interface MessageMatches {
  count: number;
  /** `seq` of the session's first matching message. */
  firstSeq: number;
}

export interface Ranking {
  /** Best first, at most `limit`; snippets still empty. */
  hits: SearchHit[];
  messages: ReadonlyMap<string, MessageMatches>;
}

export interface RankingInput {
  /** Sessions whose title matches, by rowid. */
  titles: Iterable<string>;
  /** Sessions with matching messages, by rowid. */
  messages: ReadonlyMap<string, MessageMatches>;
  summaries: ReadonlyMap<string, SessionSummary>;
  limit: number | undefined;
}

export function rankSessions(input: RankingInput): Ranking {
  const { messages, summaries } = input;
  const titles = new Set(input.titles);
  const limit = input.limit ?? DEFAULT_SEARCH_LIMIT;
  // Scores first, hits only for the sessions that can still make the first `limit` (thousands match a medium word).
  const ids: string[] = [];
  const scores: number[] = [];
  for (const sessionId of titles) {
    ids.push(sessionId);
    scores.push(TITLE_WEIGHT + (messages.get(sessionId)?.count ?? 0));
  }
  for (const [sessionId, matches] of messages) {
    if (!titles.has(sessionId)) {
      ids.push(sessionId);
      scores.push(matches.count);
    }
  }
  const cut = contenderScore(scores, limit);
  const hits: SearchHit[] = [];
  ids.forEach((sessionId, i) => {
    if (scores[i] >= cut) {
      hits.push({ sessionId, messageId: null, title: summaries.get(sessionId)?.title ?? '', snippet: '', marks: [], score: scores[i] });
    }
  });
  return { hits: rankHits(hits, (sessionId) => summaries.get(sessionId)?.lastMessageAt ?? '', limit), messages };
}

/**
 * The lowest score that can still make the first `limit`: a hit that `limit` others outscore cannot.
 * Sorting only those hits (in their order) ends in the same first `limit` as sorting them all, for a
 * fraction of the comparisons.
 */
function contenderScore(scores: readonly number[], limit: number): number {
  if (!Number.isInteger(limit) || limit <= 0 || scores.length <= limit) {
    return -Infinity;
  }
  const sorted = Float64Array.from(scores).sort();
  return sorted[sorted.length - limit];
}
