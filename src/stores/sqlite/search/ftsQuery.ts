import { QueryTerm, SearchQuery, filtersMessages } from '../../../core/searchQuery';

// Turns a query's terms into an FTS4 MATCH expression that cannot fail or be steered: each term
// becomes a quoted phrase of its folded words, the word being typed a prefix (`"foo ba*"`).
// Quotes, `*`, `-`, parentheses and words like NEAR/OR never reach FTS syntax.
//
// For terms of plain ASCII words (no longer than search keeps a word), FTS matches exactly what
// the shared rule (core/textSearch/textMatch.ts) does: unicode61 cuts ASCII text into the same
// runs of letters and digits. Anything else (letters whose folding may differ between SQLite and
// JavaScript, filters on roles or days) is re-checked against the messages themselves.

export interface FtsPlan {
  match: string;
  /** Whether candidates must be re-checked with the shared rule and the message filters. */
  recheck: boolean;
}

const PLAIN_WORD = /^[a-z0-9]+$/;
/** Shorter than core's cut, so a plain word is never one that search shortened. */
const PLAIN_WORD_MAX = 39;

export function planSearch(query: SearchQuery): FtsPlan {
  return {
    match: query.terms.map(termMatch).join(' '),
    recheck: filtersMessages(query) || !query.terms.every((term) => term.written.every(isPlainWord)),
  };
}

/** The words as written: the index keeps accents (unicode61 with remove_diacritics=0). */
function termMatch(term: QueryTerm): string {
  return `"${term.written.join(' ')}${term.prefix ? '*' : ''}"`;
}

export function isPlainWord(word: string): boolean {
  return word.length <= PLAIN_WORD_MAX && PLAIN_WORD.test(word);
}
