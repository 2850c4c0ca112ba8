import type { QueryTerm } from '../searchQuery';
import { termAt } from './textMatch';
import { tokenSpans } from './textTokens';

// A snippet is the text around the first match, on one line, with every match inside it marked
// (UTF-16 offsets into the snippet) so the editor and the CLI can highlight them. Pure.

const SNIPPET_RADIUS = 60;

export type MarkRange = [start: number, end: number];

export interface Snippet {
  snippet: string;
  marks: MarkRange[];
}

export function makeSnippet(text: string, terms: readonly QueryTerm[]): Snippet {
  const flat = text.replace(/\s+/g, ' ').trim();
  const ranges = matchRanges(flat, terms);
  const [at, until] = ranges[0] ?? [0, 0];
  const start = Math.max(0, at - SNIPPET_RADIUS);
  const end = Math.min(flat.length, until + SNIPPET_RADIUS);
  const lead = start > 0 ? '…' : '';
  const shift = lead.length - start;
  const marks = ranges
    .filter(([from, to]) => from >= start && to <= end)
    .map(([from, to]): MarkRange => [from + shift, to + shift]);
  return { snippet: `${lead}${flat.slice(start, end)}${end < flat.length ? '…' : ''}`, marks };
}

/** Where the first match starts in the text; -1 when there is none. */
export function firstMatchAt(text: string, terms: readonly QueryTerm[]): number {
  return matchRanges(text, terms)[0]?.[0] ?? -1;
}

/** Where the terms stand in the text, in order and without overlaps. */
function matchRanges(text: string, terms: readonly QueryTerm[]): MarkRange[] {
  const spans = tokenSpans(text);
  const tokens = spans.map((span) => span.token);
  const ranges: MarkRange[] = [];
  let from = 0;
  for (let at = 0; at < spans.length; at++) {
    const term = at >= from ? terms.find((each) => termAt(tokens, at, each)) : undefined;
    if (term) {
      const lastAt = at + term.tokens.length - 1;
      ranges.push([spans[at].start, spans[lastAt].end]);
      from = lastAt + 1;
    }
  }
  return ranges;
}
