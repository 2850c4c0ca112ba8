import { isPlainWord } from './ftsQuery';
import { TOKENIZER_ARGUMENTS } from '../database/schema';
import { Statements } from '../database/statements';

// Tells whether a message matches plain search words (lower-case ASCII letters and digits) the
// way the message index does — every word the start of some token, `"word*"` in FTS4 terms —
// from the message's text alone.
//
// The unicode61 tokenizer splits ASCII text into runs of [0-9A-Za-z], folded to lower case. So a
// word found (in any case) at the start of the text or after an ASCII separator is a match in any
// text, and ASCII-only text has no other way to match. Other text may still match in ways only the
// tokenizer knows (after a non-ASCII separator; letters such as the Kelvin sign that fold to ASCII
// ones): it is tokenized by SQLite itself, with the same tokenizer, through an fts3tokenize table.
// FTS4 indexes a text only up to its first NUL character, and so does this.

const ASCII_SEPARATOR = '[\\x00-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f]';
const NON_ASCII = /\P{ASCII}/u;

export class PrefixMatcher {
  private readonly patterns: RegExp[];
  private tokenizerReady = false;

  constructor(
    private readonly sql: Statements,
    private readonly words: readonly string[],
  ) {
    if (!words.every(isPlainWord)) {
      throw new Error('PrefixMatcher takes plain words only');
    }
    this.patterns = words.map((word) => new RegExp(`(?:^|${ASCII_SEPARATOR})${anyCase(word)}`));
  }

  matches(content: string): boolean {
    const end = content.indexOf('\0');
    const text = end < 0 ? content : content.slice(0, end);
    let unsure: string[] | undefined;
    this.words.forEach((word, i) => {
      if (!this.patterns[i].test(text)) {
        (unsure ??= []).push(word);
      }
    });
    if (unsure === undefined) {
      return true;
    }
    return NON_ASCII.test(text) && unsure.every((word) => this.tokenizerFinds(text, word));
  }

  private tokenizerFinds(text: string, word: string): boolean {
    if (!this.tokenizerReady) {
      // A temp table: never part of the database file. Created again if the connection was reopened.
      this.sql.db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_tokens USING fts3tokenize(${TOKENIZER_ARGUMENTS})`);
      this.tokenizerReady = true;
    }
    const row = this.sql.one('SELECT EXISTS (SELECT 1 FROM temp.search_tokens WHERE input = ? AND substr(token, 1, ?) = ?)', [
      text,
      word.length,
      word,
    ]);
    return row?.[0] === 1;
  }
}

function anyCase(word: string): string {
  return [...word].map((char) => (char >= 'a' && char <= 'z' ? `[${char}${char.toUpperCase()}]` : char)).join('');
}
