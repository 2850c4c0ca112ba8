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
  const hits: SearchHit[] = [];
  for (const sessionId of new Set([...titles, ...messages.keys()])) {
    const titleScore = titles.has(sessionId) ? TITLE_WEIGHT : 0;
    const title = summaries.get(sessionId)?.title ?? '';
    hits.push({ sessionId, messageId: null, title, snippet: '', score: titleScore + (messages.get(sessionId)?.count ?? 0) });
  }
  const limit = input.limit ?? DEFAULT_SEARCH_LIMIT;
  return { hits: rankHits(contenders(hits, limit), (sessionId) => summaries.get(sessionId)?.lastMessageAt ?? '', limit), messages };
}

/**
 * The hits that can still make the first `limit`: a hit that `limit` others outscore cannot.
 * Sorting only these (in their order) ends in the same first `limit` as sorting them all, for a
 * fraction of the comparisons of dates (thousands of hits for a medium word).
 */
function contenders(hits: SearchHit[], limit: number): SearchHit[] {
  if (!Number.isInteger(limit) || limit <= 0 || hits.length <= limit) {
    return hits;
  }
  const scores = Float64Array.from(hits, (hit) => hit.score).sort();
  const cut = scores[scores.length - limit];
  return hits.filter((hit) => hit.score >= cut);
}
