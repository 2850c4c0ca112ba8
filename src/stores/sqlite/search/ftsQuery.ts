// Turns search words into an FTS4 MATCH expression that cannot fail or be steered: each word
// becomes a quoted phrase of its letter/digit runs, the last run a prefix ("foo.ba" becomes
// `"foo ba*"`). Quotes, `*`, `-`, parentheses and words like NEAR/OR never reach FTS syntax.
//
// A prefix match on a plain ASCII word is exactly a substring match at a token start, so such
// words need no second look. Any other word (punctuation, non-ASCII letters whose case folding
// may differ between SQLite and JavaScript) is re-checked against the text, keeping results
// identical to the memory store's substring rule — minus matches inside a word, which FTS
// cannot see.

export interface FtsPlan {
  /** Undefined when no word has a letter or digit: the caller must scan instead. */
  match: string | undefined;
  /** Whether candidates must be re-checked with the plain substring rule. */
  recheck: boolean;
}

const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;
const PLAIN_WORD = /^[a-z0-9]+$/;

export function planSearch(words: readonly string[]): FtsPlan {
  const phrases = words.map((word) => word.match(TOKEN) ?? []).filter((tokens) => tokens.length > 0);
  return {
    match: phrases.length > 0 ? phrases.map((tokens) => `"${tokens.join(' ')}*"`).join(' ') : undefined,
    recheck: !words.every(isPlainWord),
  };
}

/** Lower-case ASCII letters and digits only: a prefix match on it is a substring match at a token start. */
export function isPlainWord(word: string): boolean {
  return PLAIN_WORD.test(word);
}
