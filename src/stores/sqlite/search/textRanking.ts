import { SessionSummary, compareLatest } from '../../../core/model';
import { MESSAGES_PER_SESSION } from '../database/schema';
import { TITLE_WEIGHT } from '../../../core/search';
import { MessageMatches, Ranking, rankSessions } from './searchRanking';
import { Statements } from '../database/statements';

// Ranking for plain words found in most messages. Counting matches with the index costs time in
// proportion to the matches — for a word in nearly every message, every message in the store —
// while only the best `limit` sessions are wanted. A session can score no more than its bound:
// the title weight if its title matches, plus its message count. So sessions are read in order
// of their bounds (best first, then the most recently updated) and their messages checked one
// by one (with the shared rule), until the `limit`-th best session found ranks strictly before
// every bound left: no session left can beat it or tie with it. The hits are then those the
// index would give, in the same order (searchRanking.ts breaks ties the same way for both).
//
// Only tried when a sample of messages says the words are in most of them; gives up (undefined:
// count with the index) once it has read a tenth as many messages as the index would count.

export interface TextRankingRequest {
  /** Whether a message's text matches: for plain words, exactly what the message index says. */
  matches: (content: string) => boolean;
  /** How many hits are wanted: anything but a positive integer is left to the index. */
  limit: number;
  summaries: ReadonlyMap<string, SessionSummary>;
  /** Sessions whose title matches, by rowid. */
  titles: ReadonlySet<string>;
}

const SAMPLE_RUNS = 10;
const SAMPLE_RUN_LENGTH = 10;
const COMMON_SHARE = 0.75;
/**
 * Reading and checking a message costs 3–6 times as much as counting its index entry: a budget
 * of a tenth of the matches caps the loss, when reading does not pay off, at about half of what
 * counting costs. A word in nearly every message needs a small part of that budget.
 */
const BUDGET_SHARE = 1 / 10;
/** Small stores are cheap either way. */
const MIN_BUDGET = 1_000;

export function rankByText(sql: Statements, request: TextRankingRequest): Ranking | undefined {
  const { summaries, titles, limit } = request;
  if (!Number.isInteger(limit) || limit <= 0) {
    return undefined;
  }
  const matcher = { matches: request.matches };
  const budget = budgetFromSample(sql, matcher, summaries);
  if (budget === undefined) {
    return undefined;
  }
  const counter = new SessionCounter(sql, matcher);
  const best: Scored[] = [];
  for (const candidate of byBound(summaries, titles)) {
    if (best.length >= limit && compareScored(best[limit - 1], candidate) < 0) {
      break;
    }
    const matches = counter.count(candidate.summary, budget);
    if (matches === undefined) {
      return undefined;
    }
    const score = (titles.has(candidate.summary.id) ? TITLE_WEIGHT : 0) + matches.count;
    if (score > 0) {
      insertSorted(best, { summary: candidate.summary, score }, limit);
    }
  }
  return rankSessions({ titles: [...titles].filter((id) => counter.has(id)), messages: counter.matchesByRowid(), summaries, limit });
}

interface Matcher {
  matches: (content: string) => boolean;
}

interface Scored {
  summary: SessionSummary;
  /** The score, or for a candidate not yet read, its bound. */
  score: number;
}

/** Negative when `a` ranks first, as rankHits orders hits. */
function compareScored(a: Scored, b: Scored): number {
  return b.score - a.score || compareLatest(a.summary.lastMessageAt, a.summary.id, b.summary.lastMessageAt, b.summary.id);
}

/** Only the best `limit` matter for when to stop; the ranking is made from every session read. */
function insertSorted(sorted: Scored[], item: Scored, limit: number): void {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (compareScored(sorted[middle], item) <= 0) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  if (low < limit) {
    sorted.splice(low, 0, item);
    sorted.length = Math.min(sorted.length, limit);
  }
}

/** Every session that could match, best bound first; each group of equal bounds is sorted when reached. */
function* byBound(summaries: ReadonlyMap<string, SessionSummary>, titles: ReadonlySet<string>): Generator<Scored> {
  const groups = new Map<number, Scored[]>();
  for (const summary of summaries.values()) {
    const bound = (titles.has(summary.id) ? TITLE_WEIGHT : 0) + summary.messageCount;
    if (bound > 0) {
      const group = groups.get(bound) ?? [];
      group.push({ summary, score: bound });
      groups.set(bound, group);
    }
  }
  for (const [, group] of [...groups].sort(([a], [b]) => b - a)) {
    yield* group.sort(compareScored);
  }
}

/**
 * Checks a sample of messages, a few runs spread over the store; undefined unless the words are
 * in most of them, else how many messages may be read.
 */
function budgetFromSample(sql: Statements, matcher: Matcher, summaries: ReadonlyMap<string, SessionSummary>): number | undefined {
  const [low, high] = sql.one('SELECT (SELECT min(seq) FROM messages), (SELECT max(seq) FROM messages)') ?? [];
  if (typeof low !== 'number' || typeof high !== 'number') {
    return undefined;
  }
  let read = 0;
  let matched = 0;
  for (let run = 0; run < SAMPLE_RUNS; run++) {
    const start = low + Math.floor(((high - low) * run) / SAMPLE_RUNS);
    for (const [content] of sql.all('SELECT content FROM messages WHERE seq >= ? ORDER BY seq LIMIT ?', [start, SAMPLE_RUN_LENGTH])) {
      read++;
      matched += matcher.matches(String(content)) ? 1 : 0;
    }
  }
  if (read === 0 || matched < COMMON_SHARE * read) {
    return undefined;
  }
  let total = 0;
  summaries.forEach((summary) => (total += summary.messageCount));
  return Math.max(MIN_BUDGET, (matched / read) * total * BUDGET_SHARE);
}

/** Counts sessions' matching messages from their text, keeping what it found. */
class SessionCounter {
  private read = 0;
  private readonly counted = new Map<string, MessageMatches>();

  constructor(
    private readonly sql: Statements,
    private readonly matcher: Matcher,
  ) {}

  has(sessionId: string): boolean {
    return this.counted.has(sessionId);
  }

  /** Undefined when reading the session would exceed the budget, or it holds more messages than its summary says. */
  count(summary: SessionSummary, budget: number): MessageMatches | undefined {
    if (this.read + summary.messageCount > budget) {
      return undefined;
    }
    const rows = this.sql.all(
      `SELECT m.seq, m.content FROM sessions s JOIN messages m
       ON m.seq >= s.sid * ${MESSAGES_PER_SESSION} AND m.seq < (s.sid + 1) * ${MESSAGES_PER_SESSION} WHERE s.id = ? ORDER BY m.seq`,
      [summary.id],
    );
    if (rows.length > summary.messageCount) {
      return undefined; // the bound would not hold (verify reports such counts)
    }
    const matching = rows.filter(([, content]) => this.matcher.matches(String(content)));
    const counted = { count: matching.length, firstSeq: Number(matching[0]?.[0] ?? -1) };
    this.counted.set(summary.id, counted);
    this.read += rows.length;
    return counted;
  }

  /** Sessions with matching messages, by rowid (their messages' `seq`s follow it). */
  matchesByRowid(): Map<string, MessageMatches> {
    return new Map([...this.counted].filter(([, counted]) => counted.count > 0).sort(([, a], [, b]) => a.firstSeq - b.firstSeq));
  }
}
