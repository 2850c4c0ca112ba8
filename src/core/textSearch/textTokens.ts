// How search sees text: words are runs of letters and digits (with their combining marks),
// compared case- and accent-insensitively ("Café" and "cafe" are one word). The index, the
// matcher and the snippet marker all cut text here, so every backend agrees on what a word is.
// Pure.

/** A word's letters, digits and the marks that belong to them. */
const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;
const NOT_ASCII = /\P{ASCII}/u;
const MARKS = /\p{M}+/gu;
/**
 * Words are cut to this many characters, on both sides of a comparison: a base64 blob or a
 * minified line is one enormous "word" no one searches for in full.
 */
export const MAX_TOKEN_LENGTH = 40;

/** Lower case without accents; ASCII (the common case) skips normalisation. */
export function foldWord(raw: string): string {
  const lower = raw.toLowerCase();
  const folded = NOT_ASCII.test(lower) ? lower.normalize('NFD').replace(MARKS, '') : lower;
  return folded.length > MAX_TOKEN_LENGTH ? folded.slice(0, MAX_TOKEN_LENGTH) : folded;
}

/** The folded words of a text, in order (a word of marks alone folds to nothing and is left out). */
export function textTokens(text: string): string[] {
  const lower = text.toLowerCase();
  if (isAscii(lower)) {
    const tokens: string[] = [];
    eachAsciiWord(lower, (start, end) => tokens.push(lower.slice(start, end)));
    return tokens;
  }
  return tokenSpans(text).map((span) => span.token);
}

/** The words of a text both folded and as written (lower case, cut as folded ones are), in step. */
export function textTokenPairs(text: string): { folded: string[]; written: string[] } {
  const spans = tokenSpans(text);
  return {
    folded: spans.map((span) => span.token),
    written: spans.map((span) => text.slice(span.start, span.end).toLowerCase().slice(0, MAX_TOKEN_LENGTH)),
  };
}

export function isAscii(text: string): boolean {
  return !NOT_ASCII.test(text);
}

/** ASCII text as bytes for eachAsciiWord (reused: the loop calls out only to collect offsets). */
let asciiBytes = Buffer.allocUnsafe(4096);

/**
 * The words of lower-case ASCII text (nearly all text is, once in lower case), as [start, end):
 * runs of a-z and 0-9 found by a plain loop (the Unicode pattern is several times slower), cut
 * as foldWord cuts them. The loop reads the text's bytes, not its characters: charCodeAt slows
 * ~6× once anything in the process subclasses String (termTable.ts says more). The index's
 * builder (termTable.ts addWordsOf) finds the same runs in its own loop, hashing as it goes.
 */
export function eachAsciiWord(lower: string, visit: (start: number, end: number) => void): void {
  if (lower.length > asciiBytes.length) {
    asciiBytes = Buffer.allocUnsafe(lower.length * 2);
  }
  const bytes = asciiBytes;
  const length = bytes.write(lower, 0, 'latin1');
  let start = -1;
  for (let at = 0; at <= length; at++) {
    const code = at < length ? bytes[at] : 0;
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) {
      start = start < 0 ? at : start;
    } else if (start >= 0) {
      visit(start, Math.min(at, start + MAX_TOKEN_LENGTH));
      start = -1;
    }
  }
}

export interface TokenSpan {
  token: string;
  /** Where the word stands in the text it was cut from (UTF-16 offsets, end exclusive). */
  start: number;
  end: number;
}

/** The folded words of a text with where each stands in it: for marking matches. */
export function tokenSpans(text: string): TokenSpan[] {
  const spans: TokenSpan[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const token = foldWord(match[0]);
    if (token.length > 0) {
      spans.push({ token, start: match.index, end: match.index + match[0].length });
    }
  }
  return spans;
}
