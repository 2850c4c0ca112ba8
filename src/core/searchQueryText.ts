import { QueryTerm, SearchQuery } from './searchQuery';

// A parsed query written back as the text a store's search takes: what the editor's picker reads
// (which shows unreadable filters as problems, and keeps going) becomes a query every store
// accepts, with the same words, phrases, word being typed and filters. Pure.

export function storeQueryText(query: SearchQuery): string {
  const terms = query.terms.map(termText);
  const typing = query.terms[query.terms.length - 1]?.prefix === true;
  const filters = [
    ...query.tags.map((tag) => `tag:${tag}`),
    ...query.sources.map((source) => `source:${source}`),
    ...query.roles.map((role) => `role:${role}`),
    ...(query.after === undefined ? [] : [`after:${localDay(query.after)}`]),
    ...(query.before === undefined ? [] : [`before:${localDay(query.before)}`]),
  ];
  // Filters first, so the word being typed stays last and open.
  return [...filters, ...terms].join(' ') + (typing || terms.length === 0 ? '' : ' ');
}

/** A word as itself, words side by side as a phrase; the word being typed leaves its phrase open. */
function termText(term: QueryTerm): string {
  const words = term.written.join(' ');
  if (term.written.length === 1) {
    return words;
  }
  return term.prefix ? `"${words}` : `"${words}"`;
}

function localDay(time: number): string {
  const date = new Date(time);
  const two = (value: number): string => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
}
