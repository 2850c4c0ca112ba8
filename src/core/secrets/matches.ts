// A secret found in a text: which kind, and the exact range of the secret itself (not the key name
// or the words around it), so that redaction replaces the secret and nothing else.

export interface SecretMatch {
  /** Human words for what was found: "GitHub token", "password assignment", … Never the secret. */
  kind: string;
  /** UTF-16 offsets into the scanned text, start inclusive, end exclusive. */
  start: number;
  end: number;
}

/**
 * The matches sorted by start and made non-overlapping: overlapping ranges become one range that
 * covers both, with the kind of the first (by start; on a tie, the one listed first). Empty or
 * inverted ranges are dropped.
 */
export function mergeMatches(matches: readonly SecretMatch[]): SecretMatch[] {
  const sorted = matches.filter((match) => match.end > match.start).sort((a, b) => a.start - b.start);
  const merged: SecretMatch[] = [];
  for (const match of sorted) {
    const last = merged.at(-1);
    if (last && match.start < last.end) {
      last.end = Math.max(last.end, match.end);
    } else {
      merged.push({ kind: match.kind, start: match.start, end: match.end });
    }
  }
  return merged;
}
