import { ROLES, compareLatest } from '../model';
import { TITLE_WEIGHT } from '../search';
import { SearchQuery, filtersMessages, summaryMatches } from '../searchQuery';
import { tokensMatch } from '../textSearch/textMatch';
import { PostingList } from './postingList';
import { IndexedSession, WordIndex } from './wordIndex';

// Answers a query from the word index alone: which messages hold every word (each word's lists
// are walked once, marking the messages that held all the words before it), how many of them
// each session has, and whether its title matches. Words and prefixes are answered exactly; a
// phrase only bounds (its words are there, maybe not side by side), so the caller checks those
// sessions' text, best bound first. Pure.

export interface IndexCandidate {
  entry: IndexedSession;
  /** The score, or for a phrase query the most it can be. */
  score: number;
  title: boolean;
}

export interface IndexAnswer {
  /** Best first (as search.ts ranks); for an inexact answer, every candidate by its bound. */
  candidates: IndexCandidate[];
  /** Whether the scores are exact: no phrase to check. */
  exact: boolean;
  /** Whether a message (by ordinal) holds every word of the query and passes its filters. */
  matched(ordinal: number): boolean;
}

/** At most this many different words and prefixes a query (each takes one marking round). */
export const MAX_QUERY_WORDS = 250;

export function answerQuery(index: WordIndex, query: SearchQuery, limit: number): IndexAnswer {
  const rounds = wordLists(index, query);
  const marks = new Uint8Array(index.ordinalCount);
  const counts = new Map<number, number>();
  const filter = messageFilter(index, query);
  if (rounds.every((lists) => lists.length > 0)) {
    rounds.forEach((lists, round) => markRound(marks, lists, round, round === rounds.length - 1 ? filter : undefined));
  }
  const final = rounds.length;
  for (let ordinal = 0; ordinal < index.ordinalCount; ordinal++) {
    if (marks[ordinal] === final) {
      const slot = index.slotOf[ordinal];
      counts.set(slot, (counts.get(slot) ?? 0) + 1);
    }
  }
  const candidates = collectCandidates(index, query, counts);
  const exact = query.terms.every((term) => term.tokens.length === 1);
  return { candidates: exact ? topOf(candidates, limit) : candidates.sort(compareCandidates), exact, matched: (ordinal) => marks[ordinal] === final };
}

/** For each word or prefix, the lists that hold it (none: nothing holds it), rarest first. */
function wordLists(index: WordIndex, query: SearchQuery): PostingList[][] {
  const wanted = new Map<string, PostingList[]>();
  for (const term of query.terms) {
    term.tokens.forEach((token, at) => {
      const prefix = term.prefix && at === term.tokens.length - 1;
      const key = `${prefix ? '*' : '='}${token}`;
      if (!wanted.has(key)) {
        const exact = index.terms.get(token);
        wanted.set(key, prefix ? index.listsWithPrefix(token) : exact ? [exact] : []);
      }
    });
  }
  const size = (lists: PostingList[]): number => lists.reduce((sum, list) => sum + list.count, 0);
  return [...wanted.values()].sort((a, b) => size(a) - size(b)).slice(0, MAX_QUERY_WORDS);
}

/** Marks round+1 on the messages marked `round` that are in one of the lists (and pass the filter, on the last round). */
function markRound(marks: Uint8Array, lists: PostingList[], round: number, filter: ((ordinal: number) => boolean) | undefined): void {
  const next = round + 1;
  const limit = marks.length;
  for (const list of lists) {
    list.forEach((ordinal) => {
      if (ordinal < limit && marks[ordinal] === round && (filter === undefined || filter(ordinal))) {
        marks[ordinal] = next;
      }
    });
  }
}

/** Whether a live message passes the filters on messages and its session those on sessions. */
function messageFilter(index: WordIndex, query: SearchQuery): (ordinal: number) => boolean {
  const roles = query.roles.map((role) => ROLES.indexOf(role));
  const after = query.after ?? -Infinity;
  const before = query.before ?? Infinity;
  const sessionPasses = new Map<number, boolean>();
  return (ordinal) => {
    const slot = index.slotOf[ordinal];
    if (slot < 0 || (roles.length > 0 && !roles.includes(index.roleOf[ordinal]))) {
      return false;
    }
    const time = index.timeOf[ordinal];
    if ((query.after !== undefined || query.before !== undefined) && !(time >= after && time < before)) {
      return false;
    }
    let passes = sessionPasses.get(slot);
    if (passes === undefined) {
      const entry = index.slots[slot];
      passes = entry !== undefined && summaryMatches(query, entry);
      sessionPasses.set(slot, passes);
    }
    return passes;
  };
}

function collectCandidates(index: WordIndex, query: SearchQuery, counts: ReadonlyMap<number, number>): IndexCandidate[] {
  const titlesCount = !filtersMessages(query);
  const candidates: IndexCandidate[] = [];
  index.slots.forEach((entry, slot) => {
    if (!entry) {
      return;
    }
    const title = titlesCount && tokensMatch(entry.titleTokens, query.terms) && summaryMatches(query, entry);
    const count = counts.get(slot) ?? 0;
    if (title || count > 0) {
      candidates.push({ entry, score: (title ? TITLE_WEIGHT : 0) + count, title });
    }
  });
  return candidates;
}

/** The best `limit`, in order, without sorting them all: only those at or above the limit's score. */
function topOf(candidates: IndexCandidate[], limit: number): IndexCandidate[] {
  if (candidates.length <= limit) {
    return candidates.sort(compareCandidates);
  }
  const byScore = new Map<number, number>();
  candidates.forEach(({ score }) => byScore.set(score, (byScore.get(score) ?? 0) + 1));
  let kept = 0;
  let floor = Infinity;
  for (const score of [...byScore.keys()].sort((a, b) => b - a)) {
    floor = score;
    kept += byScore.get(score) ?? 0;
    if (kept >= limit) {
      break;
    }
  }
  return candidates.filter(({ score }) => score >= floor).sort(compareCandidates).slice(0, limit);
}

/** Best score first, then as lists order sessions (search.ts rankHits). */
export function compareCandidates(a: IndexCandidate, b: IndexCandidate): number {
  return b.score - a.score || compareLatest(a.entry.lastMessageAt, a.entry.id, b.entry.lastMessageAt, b.entry.id);
}
