// Words kept in sorted order, as the word index keeps them for prefix queries (the word being typed). Pure.

/** Where `word` goes in a sorted list: the first place holding a word not below it. */
function lowerBound(sorted: readonly string[], word: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < word) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}

export function insertSorted(sorted: string[], word: string): void {
  sorted.splice(lowerBound(sorted, word), 0, word);
}

/** The words of a sorted list that start with `prefix`. */
export function wordsWithPrefix(sorted: readonly string[], prefix: string): string[] {
  const low = lowerBound(sorted, prefix);
  const words: string[] = [];
  for (let at = low; at < sorted.length && sorted[at].startsWith(prefix); at++) {
    words.push(sorted[at]);
  }
  return words;
}
