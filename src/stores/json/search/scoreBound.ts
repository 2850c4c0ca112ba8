import { TITLE_WEIGHT } from '../../../core/search';
import { containsEveryWord } from './rawTextFilter';

/**
 * An upper bound of a session's search score, from its lowercased raw lines without parsing them:
 * how many lines hold every word inside a `"content"` string, plus the title's weight when a
 * line holding every word may set the title. Where the text is laid out in any way other than
 * the one this store writes, the whole line counts, so the bound never falls below the real score.
 */
export function scoreBound(loweredLines: readonly string[], words: readonly string[]): number {
  let bound = 0;
  let titleMayMatch = false;
  for (const line of loweredLines) {
    if (containsEveryWord(line, words)) {
      titleMayMatch ||= valueHasEveryWord(line, '"title"', words);
      bound += valueHasEveryWord(line, '"content"', words) ? 1 : 0;
    }
  }
  return bound + (titleMayMatch ? TITLE_WEIGHT : 0);
}

/** Whether the string value of `key` (a quoted key) holds every word; unsure means yes. */
function valueHasEveryWord(line: string, key: string, words: readonly string[]): boolean {
  const value = stringValue(line, key, 0, line.length);
  if (value === 'absent' || value === 'unsure') {
    return value === 'unsure';
  }
  return containsEveryWord(line.slice(value.start, value.end), words);
}

export interface ValueRange {
  start: number;
  /** Its closing quote, or the end of the text when there is none. */
  end: number;
}

/**
 * Where the string value of `key` (a quoted key) lies in `text` between `from` and `to` (one
 * line): 'unsure' when the line is laid out in a way this store never writes it (the key twice,
 * its value not a string).
 */
export function stringValue(text: string, key: string, from: number, to: number): ValueRange | 'absent' | 'unsure' {
  const at = text.indexOf(key, from);
  if (at < 0 || at >= to) {
    return 'absent';
  }
  const start = at + key.length + 2;
  const again = text.indexOf(key, at + 1);
  if ((again >= 0 && again < to) || text.slice(start - 2, start) !== ':"') {
    return 'unsure';
  }
  return { start, end: closingQuote(text, start) };
}

/** The first quote from `from` not escaped by an odd run of backslashes. */
function closingQuote(line: string, from: number): number {
  for (let quote = line.indexOf('"', from); quote >= 0; quote = line.indexOf('"', quote + 1)) {
    let backslashes = 0;
    while (line[quote - 1 - backslashes] === '\\') {
      backslashes++;
    }
    if (backslashes % 2 === 0) {
      return quote;
    }
  }
  return line.length;
}
