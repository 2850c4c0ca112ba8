// Fuzzy title matching for the session quick picks: every query word must appear in the text as
// a subsequence; contiguous runs, word starts and early matches score higher. Pure.

const CONTIGUOUS_BONUS = 3;
const WORD_START_BONUS = 4;
const SUBSTRING_BONUS = 8;
const PREFIX_BONUS = 6;

/** A score (higher is better), or undefined when some query word does not match. */
export function fuzzyScore(query: string, text: string): number | undefined {
  const words = query.toLowerCase().split(/\s+/).filter((word) => word.length > 0);
  const lower = text.toLowerCase();
  let total = 0;
  for (const word of words) {
    const score = wordScore(word, lower, text);
    if (score === undefined) {
      return undefined;
    }
    total += score;
  }
  return total;
}

function wordScore(word: string, lower: string, original: string): number | undefined {
  const substringAt = lower.indexOf(word);
  if (substringAt >= 0) {
    const startBonus = isWordStart(original, substringAt) ? WORD_START_BONUS : 0;
    return word.length * (1 + CONTIGUOUS_BONUS) + SUBSTRING_BONUS + startBonus + (substringAt === 0 ? PREFIX_BONUS : 0);
  }
  return subsequenceScore(word, lower, original);
}

/** Greedy left-to-right subsequence match; good enough for titles, and linear. */
function subsequenceScore(word: string, lower: string, original: string): number | undefined {
  let score = 0;
  let previous = -2;
  let at = 0;
  for (const char of word) {
    const found = lower.indexOf(char, at);
    if (found < 0) {
      return undefined;
    }
    score += 1 + (found === previous + 1 ? CONTIGUOUS_BONUS : 0) + (isWordStart(original, found) ? WORD_START_BONUS : 0);
    previous = found;
    at = found + 1;
  }
  return score;
}

/** At the start, after a separator, or at a lower-to-upper case change ("myParser"). */
export function isWordStart(text: string, index: number): boolean {
  if (index === 0) {
    return true;
  }
  const before = text[index - 1];
  const current = text[index];
  if (!/[\p{L}\p{N}]/u.test(before)) {
    return true;
  }
  return before === before.toLowerCase() && current !== current.toLowerCase();
}

/**
 * The items whose text matches, best first; ties keep the input order (newest first for
 * session lists). An empty query keeps everything in order.
 */
export function rankByFuzzy<T>(items: readonly T[], query: string, textOf: (item: T) => string, limit = Infinity): T[] {
  if (query.trim().length === 0) {
    return items.slice(0, limit);
  }
  const scored: { item: T; score: number; index: number }[] = [];
  items.forEach((item, index) => {
    const score = fuzzyScore(query, textOf(item));
    if (score !== undefined) {
      scored.push({ item, score, index });
    }
  });
  scored.sort((a, b) => b.score - a.score || a.index - b.index);
  return scored.slice(0, limit).map((each) => each.item);
}
