import { TITLE_WEIGHT } from '../../core/search';
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
  const at = line.indexOf(key);
  if (at < 0) {
    return false;
  }
  const valueStart = at + key.length + 2;
  if (line.indexOf(key, at + 1) >= 0 || line.slice(valueStart - 2, valueStart) !== ':"') {
    return true;
  }
  return containsEveryWord(line.slice(valueStart, closingQuote(line, valueStart)), words);
}

/** The first quote from `from` not escaped by an odd run of backslashes. */
export function closingQuote(line: string, from: number): number {
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
