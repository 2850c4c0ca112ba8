import { Message, ROLES } from './model';
import { textTokenPairs } from './textSearch/textTokens';

// What the user types in Search Sessions: words (every one must appear, in any order, any case,
// accents or not; the last one may be the start of a word while it is being typed), phrases in
// double quotes (those words, next to each other), and filter tokens — `tag:ci` (any of several), `source:copilot` (where a session came from; any
// of several), `role:user|assistant|system`, `after:2026-11-01` and `before:2026-12-01` (local
// calendar days; after is inclusive, before exclusive). Pure.

export type Role = Message['role'];

/**
 * One thing a text must hold: a word, or words next to each other (a quoted phrase, or a typed
 * word with punctuation inside, such as `foo.bar` or `e-mail`), folded as textTokens folds them.
 */
export interface QueryTerm {
  tokens: string[];
  /** The same words as typed, lower case but with their accents (an index that does not fold them needs these). */
  written: string[];
  /** The last token may be the start of a longer word: the word being typed. */
  prefix: boolean;
}

export interface SearchQuery {
  /** Lower case, unique: the words as typed, quoted phrases included (without their quotes). */
  words: string[];
  /** What a title or message must hold, every one of them; empty when the text has no words. */
  terms: QueryTerm[];
  tags: string[];
  /** Lower case: `copilot`, `continue`, `cline`, `roo`, `cursor`, `multichat`. */
  sources: string[];
  roles: Role[];
  /** Local midnight of the `after:` day (inclusive), in ms. */
  after?: number;
  /** Local midnight of the `before:` day (exclusive), in ms. */
  before?: number;
  /** Filter tokens that could not be read (the picker says why, in the display language). */
  problems: SearchProblem[];
}

/** `empty`: "tag:" with nothing after it; `role`: not user, assistant or system; `date`: not YYYY-MM-DD. */
export interface SearchProblem {
  token: string;
  kind: 'empty' | 'role' | 'date';
}

const FILTER = /^(tag|source|role|after|before):(.*)$/i;

/** A quoted phrase (its closing quote may not be typed yet), or a run of anything else. */
const PIECE = /"([^"]*)("?)|[^\s"]+/g;

export function parseSearchQuery(text: string): SearchQuery {
  const query: SearchQuery = { words: [], terms: [], tags: [], sources: [], roles: [], problems: [] };
  let typing: QueryTerm | undefined;
  for (const piece of text.matchAll(PIECE)) {
    const quoted = piece[1];
    const filter = quoted === undefined ? FILTER.exec(piece[0]) : null;
    if (filter) {
      applyFilter(query, filter[1].toLowerCase(), filter[2]);
      typing = undefined;
    } else {
      typing = addTerm(query, quoted ?? piece[0], quoted === undefined || piece[2] === '');
    }
  }
  // A word followed by a space is finished; one still being typed matches longer words too.
  if (typing && !/\s$/.test(text)) {
    typing.prefix = true;
  }
  return query;
}

/** Adds what one piece asks for; returns the term when it may be the word being typed. */
function addTerm(query: SearchQuery, raw: string, open: boolean): QueryTerm | undefined {
  const word = raw.trim().toLowerCase();
  if (word !== '' && !query.words.includes(word)) {
    query.words.push(word);
  }
  const { folded: tokens, written } = textTokenPairs(raw);
  if (tokens.length === 0) {
    return undefined;
  }
  const term: QueryTerm = { tokens, written, prefix: false };
  const key = tokens.join(' ');
  if (!query.terms.some((each) => each.tokens.join(' ') === key)) {
    query.terms.push(term);
  }
  return open ? term : undefined;
}

function applyFilter(query: SearchQuery, key: string, value: string): void {
  if (value === '') {
    query.problems.push({ token: `${key}:`, kind: 'empty' });
  } else if (key === 'tag') {
    query.tags.push(value);
  } else if (key === 'source') {
    query.sources.push(value.toLowerCase());
  } else if (key === 'role') {
    const role = ROLES.find((each) => each === value.toLowerCase());
    if (role) {
      query.roles.push(role);
    } else {
      query.problems.push({ token: `role:${value}`, kind: 'role' });
    }
  } else {
    const day = parseDay(value);
    if (day === undefined) {
      query.problems.push({ token: `${key}:${value}`, kind: 'date' });
    } else {
      query[key === 'after' ? 'after' : 'before'] = day;
    }
  }
}

/** Local midnight of a YYYY-MM-DD day, or undefined for anything else (2026-02-30 included). */
export function parseDay(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) {
    return undefined;
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
  const date = new Date(year, month, day);
  return date.getFullYear() === year && date.getMonth() === month && date.getDate() === day ? date.getTime() : undefined;
}

export function hasFilters(query: SearchQuery): boolean {
  return query.tags.length > 0 || query.sources.length > 0 || query.roles.length > 0 || query.after !== undefined || query.before !== undefined;
}

/** Whether a session's tags pass the filter (any of the tags). */
export function tagsMatch(query: SearchQuery, tags: readonly string[]): boolean {
  return query.tags.length === 0 || tags.some((tag) => query.tags.includes(tag));
}

/** Whether a session's source passes the filter (any of the sources, case-insensitively). */
export function sourceMatches(query: SearchQuery, source: string): boolean {
  return query.sources.length === 0 || query.sources.includes(source.toLowerCase());
}

/** Whether a session passes the filters that concern it as a whole: its tags and its source. */
export function summaryMatches(query: SearchQuery, summary: { tags: readonly string[]; source: string }): boolean {
  return tagsMatch(query, summary.tags) && sourceMatches(query, summary.source);
}

/** Whether a time (ISO) falls within after/before; an unreadable time passes no date filter. */
export function withinDates(query: SearchQuery, iso: string): boolean {
  if (query.after === undefined && query.before === undefined) {
    return true;
  }
  const time = Date.parse(iso);
  return !Number.isNaN(time) && (query.after === undefined || time >= query.after) && (query.before === undefined || time < query.before);
}

/** Whether the filters concern messages (roles, days): a title match then does not count. */
export function filtersMessages(query: SearchQuery): boolean {
  return query.roles.length > 0 || query.after !== undefined || query.before !== undefined;
}
