import { compareLatest, summarize } from '../../../core/model';
import { DEFAULT_SEARCH_LIMIT, matchSession, queryWords } from '../../../core/search';
import { SearchHit, SearchOptions } from '../../../core/store';
import { yieldEvery } from '../../../core/eventLoop';
import { ReusableFileReader } from './fileReader';
import { rawScreen } from './rawTextFilter';
import { scanBounds } from './scanPool';
import { foldForSearch } from './searchFold';

// Full-text search straight over the session files, with the shared matching rules of
// core/search, in two passes. The first reads every file and, from its raw bytes alone, rules it
// out or bounds its score (searchBound.ts, on worker threads for big stores: scanPool.ts). The
// second parses candidates best bound first and stops once no remaining bound can reach the hits
// it has — so even a word found everywhere parses only a little more than `limit` sessions.
// Files are read synchronously into one reused buffer (several times faster than fs.promises for
// thousands of small files), yielding to the event loop every few hundred files.

const FILES_PER_TURN = 200;

export interface SearchTarget {
  id: string;
  path: string;
  /** From the store's summaries, so hits rank the way list orders them. */
  lastMessageAt: string;
}

interface Candidate {
  target: SearchTarget;
  bound: number;
}

interface RankedHit {
  hit: SearchHit;
  target: SearchTarget;
}

export async function searchSessionFiles(targets: readonly SearchTarget[], query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
  const words = queryWords(query);
  const limit = options.limit ?? DEFAULT_SEARCH_LIMIT;
  if (limit <= 0) {
    return [];
  }
  const { signal } = options;
  signal?.throwIfAborted();
  const reader = new ReusableFileReader();
  const candidates = await boundCandidates(targets, words, signal);
  const ranked: RankedHit[] = [];
  for (const [index, candidate] of candidates.entries()) {
    if (ranked.length >= limit && !canEnter(candidate, ranked[limit - 1])) {
      break;
    }
    await yieldEvery(index, FILES_PER_TURN);
    signal?.throwIfAborted();
    const hit = exactHit(candidate.target, reader, words);
    if (hit) {
      insertRanked(ranked, { hit, target: candidate.target });
    }
  }
  return ranked.slice(0, limit).map(({ hit }) => hit);
}

/** Candidates best bound first, ties most recently updated first: the order hits rank in. */
async function boundCandidates(targets: readonly SearchTarget[], words: readonly string[], signal: AbortSignal | undefined): Promise<Candidate[]> {
  const bounds = await scanBounds(targets.map((target) => target.path), words, signal);
  signal?.throwIfAborted();
  const candidates: Candidate[] = [];
  for (const [index, target] of targets.entries()) {
    if (bounds[index] > 0) {
      candidates.push({ target, bound: bounds[index] });
    }
  }
  return candidates.sort((a, b) => b.bound - a.bound || compareRecency(a.target, b.target));
}

function exactHit(target: SearchTarget, reader: ReusableFileReader, words: readonly string[]): SearchHit | undefined {
  // A file deleted while the search runs simply is not a hit.
  const bytes = reader.read(target.path);
  const view = bytes && rawScreen(words)?.(bytes);
  const session = bytes && foldForSearch(target.id, bytes, view, words);
  return session ? matchSession(summarize(session), session.messages, words) : undefined;
}

/** Whether a candidate could still rank above the last hit kept. */
function canEnter(candidate: Candidate, last: RankedHit): boolean {
  return candidate.bound > last.hit.score || (candidate.bound === last.hit.score && compareRecency(candidate.target, last.target) < 0);
}

function insertRanked(ranked: RankedHit[], entry: RankedHit): void {
  let at = ranked.length;
  while (at > 0 && compareRanked(entry, ranked[at - 1]) < 0) {
    at--;
  }
  ranked.splice(at, 0, entry);
}

/** The order of core/search rankHits: best score, then latest message (then id, as list does). */
function compareRanked(a: RankedHit, b: RankedHit): number {
  return b.hit.score - a.hit.score || compareRecency(a.target, b.target);
}

function compareRecency(a: SearchTarget, b: SearchTarget): number {
  return compareLatest(a.lastMessageAt, a.id, b.lastMessageAt, b.id);
}
