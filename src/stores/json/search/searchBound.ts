import { arePlainAscii, asciiHiders, rawScreen } from './rawTextFilter';
import { ValueRange, scoreBound, stringValue } from './scoreBound';

// The first pass of a search, over one session file's raw bytes: 0 when the file cannot match,
// otherwise an upper bound of its score (Infinity when only parsing can tell). It runs over
// every file, so it avoids work: plain-ASCII words (the usual query) are found by
// case-insensitive regular expressions in a latin1 view, which costs no decoding and maps every
// byte to one character, and only the lines holding a match are looked at.

export type BoundScreen = (bytes: Buffer) => number;

export function boundScreen(words: readonly string[]): BoundScreen {
  return arePlainAscii(words) ? asciiBound(words) : viewBound(words);
}

function asciiBound(words: readonly string[]): BoundScreen {
  const hiders = asciiHiders(words);
  // The first word's matches are all visited anyway; the others only need a yes or no.
  const testers = words.slice(1).map((word) => new RegExp(escapeRegExp(word), 'i'));
  const finders = words.map((word) => new RegExp(escapeRegExp(word), 'gi'));
  return (bytes) => {
    if (hiders.some((sequence) => bytes.includes(sequence))) {
      return Infinity;
    }
    const text = bytes.toString('latin1');
    if (!testers.every((tester) => tester.test(text))) {
      return 0;
    }
    return boundMatchingLines(text, finders, words);
  };
}

/**
 * Visits only the lines in which the first word occurs. A message or edit line as this store
 * writes it counts when its content holds every word, found in place; any other line (the
 * header, an update, a layout of some other writer) is lowercased for scoreBound.
 */
function boundMatchingLines(text: string, finders: readonly RegExp[], words: readonly string[]): number {
  const otherLines: string[] = [];
  let contentLines = 0;
  const first = finders[0];
  first.lastIndex = 0;
  for (let match = first.exec(text); match; match = first.exec(text)) {
    const start = text.lastIndexOf('\n', match.index) + 1;
    const newline = text.indexOf('\n', match.index);
    const end = newline < 0 ? text.length : newline;
    const content = MESSAGE_PREFIXES.some((prefix) => text.startsWith(prefix, start)) ? contentValue(text, start, end) : undefined;
    if (content) {
      contentLines += finders.every((finder) => occursWithin(finder, text, content)) ? 1 : 0;
    } else {
      otherLines.push(text.slice(start, end).toLowerCase());
    }
    first.lastIndex = end + 1;
  }
  return contentLines + (otherLines.length > 0 ? scoreBound(otherLines, words) : 0);
}

const MESSAGE_PREFIXES = ['{"type":"message",', '{"type":"edit",'];

/** The raw content string of a message line, or undefined when the line is laid out otherwise. */
function contentValue(text: string, lineStart: number, lineEnd: number): ValueRange | undefined {
  // A second content key (hand-edited) would win when parsed: then only the whole line can tell.
  const value = stringValue(text, '"content"', lineStart, lineEnd);
  return typeof value === 'object' && value.end < lineEnd ? value : undefined;
}

function occursWithin(finder: RegExp, text: string, range: ValueRange): boolean {
  finder.lastIndex = range.start;
  const match = finder.exec(text);
  return match !== null && match.index + match[0].length <= range.end;
}

/** Other words: the decoded view of rawTextFilter, or Infinity where no raw test is safe. */
function viewBound(words: readonly string[]): BoundScreen {
  const screen = rawScreen(words);
  return (bytes) => {
    const view = screen?.(bytes);
    if (screen && !view) {
      return 0;
    }
    return view?.linesReliable ? scoreBound(view.lowered, words) : Infinity;
  };
}

function escapeRegExp(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
