import type { QueryTerm } from '../searchQuery';
import { textTokens } from './textTokens';

// The one rule of what matches, which every backend's index is held to (the contract suite and
// the memory store use it directly): a text matches when it holds every term — each word whole,
// the word being typed as the start of a word, a phrase's words next to each other. Pure.

/** Whether the term stands in `tokens` starting at `at`. */
export function termAt(tokens: readonly string[], at: number, term: QueryTerm): boolean {
  const last = term.tokens.length - 1;
  if (at + last >= tokens.length) {
    return false;
  }
  for (let offset = 0; offset < last; offset++) {
    if (tokens[at + offset] !== term.tokens[offset]) {
      return false;
    }
  }
  const token = tokens[at + last];
  return term.prefix ? token.startsWith(term.tokens[last]) : token === term.tokens[last];
}

export function holdsTerm(tokens: readonly string[], term: QueryTerm): boolean {
  for (let at = 0; at < tokens.length; at++) {
    if (termAt(tokens, at, term)) {
      return true;
    }
  }
  return false;
}

/** Whether the words hold every term (no terms: nothing matches). */
export function tokensMatch(tokens: readonly string[], terms: readonly QueryTerm[]): boolean {
  return terms.length > 0 && terms.every((term) => holdsTerm(tokens, term));
}

export function textMatches(text: string, terms: readonly QueryTerm[]): boolean {
  return terms.length > 0 && tokensMatch(textTokens(text), terms);
}

/**
 * A text's folded words in one string, each with a space either side (`' a b '`): what a title
 * is kept as in the word index, checked by wordsHold without cutting it up again at every query.
 */
export function joinedWords(text: string): string {
  return ` ${textTokens(text).join(' ')} `;
}

/**
 * What wordsHold looks for in joinedWords' form, made once per query (not once per title): each
 * term's words side by side, the typed one as a start.
 */
export function joinedTerms(terms: readonly QueryTerm[]): string[] {
  return terms.map((term) => ` ${term.tokens.join(' ')}${term.prefix ? '' : ' '}`);
}

/** tokensMatch over joinedWords' form, given joinedTerms. */
export function wordsHold(joined: string, needles: readonly string[]): boolean {
  return needles.length > 0 && needles.every((needle) => joined.includes(needle));
}
