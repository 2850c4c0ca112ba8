import { ROLES, compareLatest } from '../model';
import { TITLE_WEIGHT } from '../search';
import { QueryTerm, SearchQuery, filtersMessages, summaryMatches } from '../searchQuery';
import { joinedTerms, wordsHold } from '../textSearch/textMatch';
import { PostingList } from './postingList';
import { FactsOf, IndexedSession, SessionFacts, WordIndex } from './wordIndex';

// Answers a query from the word index alone: which messages hold every word (each word's lists
// are walked once, marking the messages that held all the words before it), how many of them
// each session has, and whether its title matches. Words and
// prefixes are answered exactly; a phrase only bounds (its words are there, maybe not side by
// side), so the caller checks those sessions' text, best bound first. Pure and synchronous.

export interface IndexCandidate {
  entry: IndexedSession;
  facts: SessionFacts;
  /** The score, or for a phrase query the most it can be. */
  score: number;
  title: boolean;
  /** Where the session's first matching message stands in it (-1: none, or not worked out). */
  position: number;
}

export interface IndexAnswer {
  /** Best first (as search.ts ranks); for an inexact answer, every candidate by its bound. */
  candidates: IndexCandidate[];
  /** Whether the scores are exact: no phrase to check. */
  exact: boolean;
}

/** At most this many different words and prefixes a query (each takes one marking round). */
export const MAX_QUERY_WORDS = 250;

/** Answers from the index, with what `factsOf` says of each session (a session it does not know is no hit). */
export function answerQuery(index: WordIndex, query: SearchQuery, limit: number, factsOf: FactsOf): IndexAnswer {
  const rounds = wordLists(index, query);
  const marks = index.marksForQuery();
  const counter = new MessageCounter(index, query, factsOf);
  if (rounds.every((lists) => lists.length > 0)) {
    rounds.forEach((lists, round) => lists.forEach((list) => markRound(marks, list, round, round === rounds.length - 1 ? counter : undefined)));
  }
  const candidates = collectCandidates(index, query, counter);
  const exact = query.terms.every((term) => term.tokens.length === 1);
  const answer = exact ? topOf(candidates, limit) : candidates.sort(compareCandidates);
  if (exact) {
    const final = rounds.length;
    answer.forEach((candidate) => (candidate.position = candidate.title ? -1 : candidate.entry.ordinals.findIndex((ordinal) => marks[ordinal] === final)));
  }
  marks.fill(0, 0, index.ordinalCount);
  return { candidates: answer, exact };
}

/** For each word or prefix, the lists that hold it (none: nothing holds it), rarest first. */
function wordLists(index: WordIndex, query: SearchQuery): PostingList[][] {
  const wanted = new Map<string, PostingList[]>();
  eachWord(query.terms, (token, prefix) => {
    const key = `${prefix ? '*' : '='}${token}`;
    if (!wanted.has(key)) {
      const exact = index.list(token);
      wanted.set(key, prefix ? index.listsWithPrefix(token) : exact ? [exact] : []);
    }
  });
  const size = (lists: PostingList[]): number => lists.reduce((sum, list) => sum + list.count, 0);
  return [...wanted.values()].sort((a, b) => size(a) - size(b)).slice(0, MAX_QUERY_WORDS);
}

function eachWord(terms: readonly QueryTerm[], visit: (token: string, prefix: boolean) => void): void {
  for (const term of terms) {
    term.tokens.forEach((token, at) => visit(token, term.prefix && at === term.tokens.length - 1));
  }
}

/**
 * Marks round+1 on the messages of the list marked `round`; on the last round, only those the
 * counter takes. The list is decoded here rather than through a callback: a common word's lists
 * hold nearly every message, and this loop is most of a search's time.
 */
function markRound(marks: Uint8Array, list: PostingList, round: number, counter: MessageCounter | undefined): void {
  const bytes = list.bytesNow();
  const { length } = list;
  const next = round + 1;
  const limit = marks.length;
  let ordinal = -1;
  let at = 0;
  while (at < length) {
    let byte = bytes[at++];
    let gap = byte & 0x7f;
    for (let shift = 7; byte & 0x80; shift += 7) {
      byte = bytes[at++];
      gap |= (byte & 0x7f) << shift;
    }
    ordinal += gap;
    if (ordinal < limit && marks[ordinal] === round && (counter === undefined || counter.take(ordinal))) {
      marks[ordinal] = next;
    }
  }
}

/** Counts, per session, the messages that hold every word and pass the filters. */
class MessageCounter {
  readonly counts: Int32Array;
  /** Slots with a count, in the order first counted. */
  readonly touched: number[] = [];
  /** Per slot: 0 not yet asked, 1 the session passes its filters, -1 it does not. */
  private readonly passes: Int8Array;
  private readonly roles: number[];
  private readonly dated: boolean;
  private readonly after: number;
  private readonly before: number;

  constructor(
    private readonly index: WordIndex,
    private readonly query: SearchQuery,
    private readonly lookUp: FactsOf,
  ) {
    this.counts = new Int32Array(index.slots.length);
    this.passes = new Int8Array(index.slots.length);
    this.roles = query.roles.map((role) => ROLES.indexOf(role));
    this.dated = query.after !== undefined || query.before !== undefined;
    this.after = query.after ?? -Infinity;
    this.before = query.before ?? Infinity;
  }

  /**
   * The session's facts, kept on its entry once found: a lookup per session per query cost more
   * than the rest of a title check. An entry is made again whenever its session changes (the
   * store's change events, its versions), so what it keeps is the summary of what it indexes.
   */
  factsOf(entry: IndexedSession): SessionFacts | undefined {
    entry.facts ??= this.lookUp(entry.id);
    return entry.facts;
  }

  /** Counts a message that holds every word, when it is live and passes the filters. */
  take(ordinal: number): boolean {
    const slot = this.index.slotOf[ordinal];
    if (slot < 0 || !this.messagePasses(ordinal) || !this.sessionPasses(slot)) {
      return false;
    }
    if (this.counts[slot]++ === 0) {
      this.touched.push(slot);
    }
    return true;
  }

  private messagePasses(ordinal: number): boolean {
    const { index } = this;
    if (this.roles.length > 0 && !this.roles.includes(index.roleOf[ordinal])) {
      return false;
    }
    return !this.dated || (index.timeOf[ordinal] >= this.after && index.timeOf[ordinal] < this.before);
  }

  private sessionPasses(slot: number): boolean {
    if (this.passes[slot] === 0) {
      const entry = this.index.slots[slot];
      const facts = entry && this.factsOf(entry);
      this.passes[slot] = facts !== undefined && summaryMatches(this.query, facts) ? 1 : -1;
    }
    return this.passes[slot] > 0;
  }
}

function collectCandidates(index: WordIndex, query: SearchQuery, counter: MessageCounter): IndexCandidate[] {
  // Titles are few words each: checking every one costs ~1 ms for 10,000 sessions, less than
  // keeping word sets for them would cost to build when a saved index is read.
  const titled = new Set<number>();
  if (!filtersMessages(query)) {
    const needles = joinedTerms(query.terms);
    index.slots.forEach((entry, slot) => {
      const facts = entry && wordsHold(entry.titleWords, needles) ? counter.factsOf(entry) : undefined;
      if (facts && summaryMatches(query, facts)) {
        titled.add(slot);
      }
    });
  }
  const candidates: IndexCandidate[] = [];
  const add = (slot: number): void => {
    const entry = index.slots[slot];
    const facts = entry && counter.factsOf(entry);
    const title = titled.has(slot);
    if (entry && facts) {
      candidates.push({ entry, facts, score: (title ? TITLE_WEIGHT : 0) + counter.counts[slot], title, position: -1 });
    }
  };
  titled.forEach(add);
  counter.touched.forEach((slot) => !titled.has(slot) && add(slot));
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
  return b.score - a.score || compareLatest(a.facts.lastMessageAt, a.entry.id, b.facts.lastMessageAt, b.entry.id);
}
