// A cheap look at a session file's raw text that rules out files (and lines) which cannot match a
// search, so only the few candidates are JSON-parsed. It must never rule out a real match, so it
// is only used for words whose characters reach the file unchanged: anything but `"`, `\` and
// control characters, which JSON.stringify escapes. A file that contains an escape which could
// spell a word's character (as hand-edited or foreign files may) is marked unreliable, and then
// every line of it is parsed.
//
// Plain-ASCII words, the common case, are matched against an 'ascii' view of the bytes: one
// character per byte (the fastest string V8 can lowercase), where ASCII bytes stay themselves and
// other bytes can only add false candidates. Other words need the text decoded as UTF-8.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const FIRST_PRINTABLE = 0x20;
const LAST_ASCII = 0x7e;
// Final sigma lowercases differently by context, and the context differs inside JSON.
const SIGMAS = ['\u03c2', '\u03c3'];

/**
 * Sequences that could hide an ASCII word from a byte search: an escape spelling an ASCII
 * character (`\u0041`, `\/`), and the only two non-ASCII characters whose lowercase contains
 * ASCII: U+0130 (İ → i̇) and U+212A (Kelvin sign → k).
 */
const ASCII_HIDERS: readonly { sequence: Buffer; hides: string }[] = [
  { sequence: Buffer.from('\\u00'), hides: '' /* any character */ },
  { sequence: Buffer.from('\\/'), hides: '/' },
  { sequence: Buffer.from('\u0130'), hides: 'i' },
  { sequence: Buffer.from('\u212a'), hides: 'k' },
];
const ANY_UNICODE_ESCAPE = Buffer.from('\\u');

export interface RawView {
  /** The file's lines, lowercased. */
  lowered: string[];
  /** Line `index` as written, to parse. */
  original: (index: number) => string;
  /** False when the file holds something that could hide a word: then no line may be skipped. */
  linesReliable: boolean;
}

/** Undefined when the file cannot match; otherwise its lines to screen. */
export type RawScreen = (bytes: Buffer) => RawView | undefined;

/** A screen for these lowercase query words, or undefined when no raw test is safe for them. */
export function rawScreen(words: readonly string[]): RawScreen | undefined {
  if (arePlainAscii(words)) {
    const hiders = asciiHiders(words);
    return (bytes) => asciiView(bytes, words, hiders);
  }
  if (words.some((word) => isEscaped(word) || SIGMAS.some((sigma) => word.includes(sigma)))) {
    return undefined;
  }
  return (bytes) => utf8View(bytes, words);
}

/** Whether every word is printable ASCII that JSON.stringify writes unchanged. */
export function arePlainAscii(words: readonly string[]): boolean {
  return words.every((word) => !isEscaped(word) && [...word].every((char) => char.charCodeAt(0) <= LAST_ASCII));
}

/** The byte sequences that could hide one of these plain-ASCII words from a raw search. */
export function asciiHiders(words: readonly string[]): Buffer[] {
  return ASCII_HIDERS.filter(({ hides }) => words.some((word) => word.includes(hides))).map(({ sequence }) => sequence);
}

/** Whether JSON.stringify would escape some character of the word. */
function isEscaped(word: string): boolean {
  return [...word].some((char) => {
    const code = char.charCodeAt(0);
    return code < FIRST_PRINTABLE || code === QUOTE || code === BACKSLASH;
  });
}

function asciiView(bytes: Buffer, words: readonly string[], hiders: readonly Buffer[]): RawView | undefined {
  const text = bytes.toString('ascii').toLowerCase();
  const linesReliable = !hiders.some((sequence) => bytes.includes(sequence));
  if (linesReliable && !containsEveryWord(text, words)) {
    return undefined;
  }
  const lowered = text.split('\n');
  // One character per byte, so a line's byte range follows from the lengths before it.
  const starts = lineStarts(lowered);
  return { lowered, original: (index) => bytes.toString('utf8', starts[index], starts[index] + lowered[index].length), linesReliable };
}

function utf8View(bytes: Buffer, words: readonly string[]): RawView | undefined {
  const text = bytes.toString('utf8');
  const loweredText = text.toLowerCase();
  const linesReliable = !bytes.includes(ANY_UNICODE_ESCAPE);
  if (linesReliable && !containsEveryWord(loweredText, words)) {
    return undefined;
  }
  // Lowercasing never adds or removes a newline, so the lines correspond one to one.
  const lines = text.split('\n');
  return { lowered: loweredText.split('\n'), original: (index) => lines[index], linesReliable };
}

function lineStarts(lines: readonly string[]): number[] {
  const starts: number[] = [];
  let at = 0;
  for (const line of lines) {
    starts.push(at);
    at += line.length + 1;
  }
  return starts;
}

export function containsEveryWord(text: string, words: readonly string[]): boolean {
  return words.every((word) => text.includes(word));
}
